import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  loadCredentialsFile,
  makeTestCredentials,
  passwordFileTable,
  writeMqttCredentialFiles,
} from './mqtt-credential-files';
import { verifyMqttPassword } from './mqtt-password';

// TEST station and lane of the synthetic data.
const ACCOUNTS = { topicRoot: 'tollpad', stationId: 'G0022370010030', laneIds: ['G00223700100302010910'] };
const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'mqtt-files-TEST-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('MQTT account files', () => {
  it('writes 0600 files whose hashes verify the clear passwords', async () => {
    const files = await writeMqttCredentialFiles(tmp(), ACCOUNTS);
    if (!files.ok) throw files.error;
    for (const f of [files.value.passwordFile, files.value.aclFile, files.value.credentialsFile]) {
      expect(statSync(f).mode & 0o777).toBe(0o600);
    }
    const clear = loadCredentialsFile(files.value.credentialsFile);
    const table = passwordFileTable(files.value.passwordFile);
    if (!clear.ok || !table.ok) throw new Error('files do not load');
    expect([...clear.value.keys()]).toEqual(['station-G0022370010030', 'lane-G00223700100302010910']);
    for (const [username, password] of clear.value) {
      expect(await verifyMqttPassword(password, table.value.get(username)!)).toBe(true);
    }
  });

  it('reads a changed password file again, and keeps the last good one when a change does not parse', async () => {
    const dir = tmp();
    const first = await writeMqttCredentialFiles(dir, { ...ACCOUNTS, laneIds: [] });
    if (!first.ok) throw first.error;
    const table = passwordFileTable(first.value.passwordFile);
    if (!table.ok) throw table.error;
    const lane = 'lane-G00223700100302010910';
    expect(table.value.get(lane)).toBeUndefined();
    const second = await writeMqttCredentialFiles(dir, ACCOUNTS, makeTestCredentials(ACCOUNTS));
    if (!second.ok) throw second.error;
    expect(table.value.get(lane)).toMatch(/^\$7\$/);
    writeFileSync(first.value.passwordFile, 'broken line without a hash\n');
    expect(table.value.get(lane)).toMatch(/^\$7\$/);
  });

  it('refuses a credentials file that is not a username → password object', () => {
    const path = join(tmp(), 'credentials.json');
    writeFileSync(path, '["TEST"]');
    expect(loadCredentialsFile(path)).toMatchObject({ ok: false, error: { code: 'CONFIG_INVALID' } });
    expect(loadCredentialsFile(join(tmp(), 'missing.json'))).toMatchObject({ ok: false });
  });
});
