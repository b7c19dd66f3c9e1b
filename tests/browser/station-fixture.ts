/**
 * The REAL station server for the browser tests, started as its own process (tsx) on a free port with
 * SQLite in a temp dir and the station's TEST world (synthetic province, one enabled and one disabled
 * lane, the TEST handheld terminal, TEST accounts). A local online-fee port stands in for the centre so
 * an ordinary exit is priced without a monitor ([P] test wiring, like the centre would answer).
 *
 * Prints one JSON line `{ "ready": true, "url": ... }` on stdout when listening.
 */

import { localOnlineFeePort } from '@tollpad/tariff';
import { loadConfig } from '../../apps/station/src/config';
import { TEST_KDF } from '../../apps/station/src/services/password';
import { createStation } from '../../apps/station/src/station';
import { TEST_WORLD, testReference } from '../../apps/station/src/testing/world';
import { FIXTURE_PASSWORD, FIXTURE_USERS } from './world';

async function main(): Promise<void> {
  const dataDir = process.env.DATA_DIR;
  if (!dataDir) throw new Error('DATA_DIR is required');
  const reference = testReference();
  const config = { ...loadConfig({ ...process.env, DATA_DIR: dataDir }), port: 0, host: '127.0.0.1' };
  const station = await createStation({
    config,
    kdf: TEST_KDF,
    logger: false,
    reference,
    onlineFee: localOnlineFeePort(reference.tariff.tables),
  });
  const s = station.services;
  for (const role of ['collector', 'monitor', 'admin'] as const) {
    await s.auth.createAccount(
      {
        username: FIXTURE_USERS[role],
        displayName: `测试${role}`,
        role,
        password: FIXTURE_PASSWORD,
        demo: true,
      },
      'test-setup',
    );
  }
  await s.config.putStation(
    { stationId: TEST_WORLD.stationId, stationHex: TEST_WORLD.stationHex, name: TEST_WORLD.stationName },
    'test-setup',
  );
  await s.config.putPlaza({ id: TEST_WORLD.plazaId, name: '出口广场 (TEST)' }, 'test-setup');
  await s.config.putLane(
    { id: TEST_WORLD.laneId, hex: TEST_WORLD.laneHex, name: '出口1号车道' },
    'test-setup',
  );
  await s.config.putLane(
    { id: TEST_WORLD.disabledLaneId, hex: `${TEST_WORLD.stationHex}02`, name: '出口2号车道' },
    'test-setup',
  );
  await s.config.setLaneEnabled(TEST_WORLD.laneId, true, 'test-setup');
  await s.config.putTerminal(
    {
      id: TEST_WORLD.terminalId,
      psamTerminalNo: TEST_WORLD.psam,
      description: 'TEST handheld',
      enabled: true,
    },
    'test-setup',
  );
  const address = await station.app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
  process.stdout.write(`${JSON.stringify({ ready: true, url: address, world: TEST_WORLD })}\n`);
  const stop = async () => {
    await station.close();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
