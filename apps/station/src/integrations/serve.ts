import { loadConfig } from '../config';
import { centreOnlineFee } from '../ports/centre-online-fee';
import { seedDemo } from '../seed';
import { TEST_KDF } from '../services/password';
import { createStation } from '../station';
import { onRecordCommitted } from './commit-hook';
import { dispatchCommitted, startCentreLinks, startLaneLinks } from './integrations';
import { loadIntegrationsConfig } from './integrations-config';

/**
 * The station server with its links to the centre (outbox relay, reference sync) and the lanes (MQTT).
 * Env: as main.ts, plus CENTRE_URL, CENTRE_API_TOKEN, OUTBOX_*, SYNC_*, MQTT_URL / MQTT_PORT, TOPIC_ROOT,
 * LINKAGE=0 (see integrations-config.ts).
 */
async function serve(): Promise<void> {
  const config = loadConfig();
  const ic = loadIntegrationsConfig();
  const networks = (process.env.VALID_CARD_NETWORKS ?? '').split(',').filter(Boolean);
  const station = await createStation({
    config,
    ...(process.env.STATION_KDF === 'test' ? { kdf: TEST_KDF } : {}),
    ...(networks.length > 0 ? { validNetworks: networks } : {}),
    ...(ic.centreUrl ? { onlineFeeSource: centreOnlineFee(ic.centreUrl, ic.centreToken) } : {}),
  });
  const ports = {
    app: station.app,
    services: station.services,
    registry: station.metrics.registry,
    log: station.app.log,
  };
  const centre = await startCentreLinks(ports, ic);
  if (process.env.STATION_SEED === 'demo') await seedDemo(station.services);
  // Linkage needs the station ID, which the demo seed may have just configured.
  const linkage = await startLaneLinks(ports, ic);
  onRecordCommitted(station.services.exits, (row, replayed) =>
    dispatchCommitted({ relay: centre.relay, linkage }, row, replayed),
  );
  const address = await station.app.listen({ port: config.port, host: config.host });
  const port = station.app.server.address();
  station.app.log.info(
    {
      event: 'ready',
      address,
      port: typeof port === 'object' && port ? port.port : config.port,
      db: station.services.db.ops.name,
      mqtt: linkage?.url ?? null,
    },
    'station ready',
  );
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    station.app.log.info({ signal }, 'shutting down');
    Promise.all([centre.sync?.stop(), centre.relay?.stop(), linkage?.stop()])
      .then(() => station.close())
      .then(
        () => process.exit(0),
        () => process.exit(1),
      );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

serve().catch((e: unknown) => {
  console.error(JSON.stringify({ level: 60, msg: 'station failed to start', err: String(e) }));
  process.exit(1);
});
