import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeMqttCredentialFiles } from '@tollpad/linkage/node';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LANE_IDS, loadConfig } from './config';

describe('loadConfig', () => {
  it('defaults to the embedded broker and the TEST lane', () => {
    const r = loadConfig({});
    expect(r).toMatchObject({ ok: true, value: { laneIds: DEFAULT_LANE_IDS, embeddedPort: 1883 } });
    expect(r.ok && r.value.mqttUrl).toBeUndefined();
  });

  it('reads comma-separated lanes of the station and MQTT_URL', () => {
    const r = loadConfig({
      MQTT_URL: 'mqtt://127.0.0.1:1883',
      LANE_IDS: 'G00223700100302010910, G00223700100302010920',
    });
    expect(r).toMatchObject({
      ok: true,
      value: {
        mqttUrl: 'mqtt://127.0.0.1:1883',
        laneIds: ['G00223700100302010910', 'G00223700100302010920'],
      },
    });
  });

  it.each([
    [{ LANE_IDS: 'G00223700100402010910' }, 'LANE_IDS'],
    [{ LANE_IDS: 'nonsense' }, 'LANE_IDS'],
    [{ LANE_IDS: 'G00223700100302010910,G00223700100302010910' }, 'LANE_IDS'],
    [{ STATION_ID: 'X' }, 'STATION_ID'],
    [{ HEARTBEAT_MS: '5' }, 'HEARTBEAT_MS'],
    [{ CONTROL_PORT: 'abc' }, 'CONTROL_PORT'],
    [{ TOPIC_ROOT: 'a/#' }, 'topicRoot'],
  ])('rejects %j', (env, field) => {
    expect(loadConfig(env)).toMatchObject({ ok: false, error: { code: 'CONFIG_INVALID', field } });
  });
});

describe('loadConfig: MQTT accounts and TLS files', () => {
  it('refuses a credentials file without a password for one of its lanes, and half a TLS pair', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lane-sim-cfg-TEST-'));
    try {
      const files = await writeMqttCredentialFiles(dir, {
        topicRoot: 'tollpad',
        stationId: 'G0022370010030',
        laneIds: ['G00223700100302010910'],
      });
      if (!files.ok) throw files.error;
      const ok = loadConfig({ MQTT_CREDENTIALS_FILE: files.value.credentialsFile });
      expect(ok.ok && ok.value.lanePasswords?.get('G00223700100302010910')).toMatch(/^TEST-/);
      expect(
        loadConfig({
          MQTT_CREDENTIALS_FILE: files.value.credentialsFile,
          LANE_IDS: 'G00223700100302010910,G00223700100302010920',
        }),
      ).toMatchObject({ ok: false, error: { code: 'CONFIG_INVALID', field: 'MQTT_CREDENTIALS_FILE' } });
      expect(loadConfig({ MQTT_BROKER_TLS_KEY_FILE: files.value.aclFile })).toMatchObject({
        ok: false,
        error: { code: 'CONFIG_INVALID', field: 'MQTT_BROKER_TLS_KEY_FILE' },
      });
      expect(loadConfig({ MQTT_CA_FILE: join(dir, 'missing.pem') })).toMatchObject({
        ok: false,
        error: { field: 'MQTT_CA_FILE' },
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
