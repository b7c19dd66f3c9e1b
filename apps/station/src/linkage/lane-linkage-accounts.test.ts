import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { passwordFileTable, writeMqttCredentialFiles } from '@tollpad/linkage/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LaneLinkage } from './lane-linkage';

// TEST station and lane; the station's own embedded broker on a free port with TEST accounts.
const STATION = 'G0022370010030';
const LANE = 'G00223700100302010910';

async function until(cond: () => boolean, ms = 8_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('lane linkage (station side) on its embedded broker with accounts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'station-mqtt-TEST-'));
  let passwords: ReturnType<typeof passwordFileTable>;
  let stationPassword: string;

  beforeAll(async () => {
    const files = await writeMqttCredentialFiles(dir, {
      topicRoot: 'tollpad',
      stationId: STATION,
      laneIds: [LANE],
    });
    if (!files.ok) throw files.error;
    stationPassword = files.value.credentials.find((c) => c.username === `station-${STATION}`)!.password;
    passwords = passwordFileTable(files.value.passwordFile);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('connects with its own account', async () => {
    if (!passwords.ok) throw passwords.error;
    const linkage = await LaneLinkage.start({
      stationId: STATION,
      embeddedPort: 0,
      brokerPasswords: passwords.value,
      password: stationPassword,
    });
    try {
      expect(linkage.broker).toBeDefined();
      expect(await linkage.client.waitConnected(8_000)).toBe(true);
      expect(linkage.client.brokerRefusal).toBeUndefined();
    } finally {
      await linkage.stop();
    }
  });

  it('reports MQTT_AUTH_REFUSED when its password is wrong, and never connects', async () => {
    if (!passwords.ok) throw passwords.error;
    const linkage = await LaneLinkage.start({
      stationId: STATION,
      embeddedPort: 0,
      brokerPasswords: passwords.value,
      password: 'TEST-wrong',
    });
    try {
      await until(() => linkage.client.brokerRefusal !== undefined);
      expect(linkage.client.brokerRefusal?.code).toBe('MQTT_AUTH_REFUSED');
      expect(linkage.client.connected).toBe(false);
    } finally {
      await linkage.stop();
    }
  });
});
