import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hashMqttPassword, parsePasswordFile, renderPasswordFile, verifyMqttPassword } from './mqtt-password';

const TEST_PASSWORD = 'TEST-password';

function hasMosquittoPasswd(): boolean {
  try {
    execFileSync('which', ['mosquitto_passwd'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('MQTT password hashes (Mosquitto $7$ format)', () => {
  it('verifies its own hash and refuses a wrong password or a foreign format', async () => {
    const hash = await hashMqttPassword(TEST_PASSWORD);
    expect(hash).toMatch(/^\$7\$101\$[A-Za-z0-9+/=]{16}\$[A-Za-z0-9+/=]{88}$/);
    expect(await verifyMqttPassword(TEST_PASSWORD, hash)).toBe(true);
    expect(await verifyMqttPassword('TEST-other', hash)).toBe(false);
    expect(await verifyMqttPassword(TEST_PASSWORD, '$6$abc$def')).toBe(false);
    expect(await verifyMqttPassword(TEST_PASSWORD, 'plain')).toBe(false);
  });

  it.runIf(hasMosquittoPasswd())('reads what mosquitto_passwd writes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mqtt-passwd-'));
    try {
      const file = join(dir, 'passwd');
      writeFileSync(file, '');
      execFileSync('mosquitto_passwd', ['-b', file, 'lane-TEST', TEST_PASSWORD]);
      const users = parsePasswordFile(readFileSync(file, 'utf8'));
      if (!users.ok) throw users.error;
      expect(await verifyMqttPassword(TEST_PASSWORD, users.value.get('lane-TEST')!)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('renders and parses a password file; a malformed line is named', async () => {
    const text = await renderPasswordFile([{ username: 'u1', password: TEST_PASSWORD }]);
    const users = parsePasswordFile(text);
    if (!users.ok) throw users.error;
    expect(await verifyMqttPassword(TEST_PASSWORD, users.value.get('u1')!)).toBe(true);
    expect(parsePasswordFile('u1:plain\n')).toMatchObject({
      ok: false,
      error: { code: 'CONFIG_INVALID', field: 'passwordFile:1' },
    });
  });
});
