import { connectAsync } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, startTestSystem, token, untilLaneOnline } from './world';

/**
 * The demo topology on the station's embedded broker, which admits only its accounts: the station and the
 * lane simulator log in with theirs and link; a stranger without an account is refused at CONNECT.
 */
describe('e2e: lane linkage with MQTT accounts (embedded broker)', () => {
  let sys: Awaited<ReturnType<typeof startTestSystem>>;

  beforeAll(async () => {
    sys = await startTestSystem({ mqttUrl: undefined });
  }, 180_000);
  afterAll(async () => {
    await sys?.cleanup();
  });

  it('links the seeded lane with accounts and refuses an anonymous client', async () => {
    const monitor = await token(sys.stationUrl, DEMO.monitor);
    await untilLaneOnline(sys.stationUrl, monitor, sys.laneId);
    await expect(
      connectAsync(sys.mqttUrl, { reconnectPeriod: 0, connectTimeout: 5_000, protocolVersion: 4 }),
    ).rejects.toMatchObject({ code: 5 });
  });
});
