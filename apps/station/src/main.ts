import { checkServerRuntime, envOnlyCommandLine } from '@tollpad/server-kit';
import { loadConfig } from './config';
import { stationTls } from './http/station-tls';
import { dispatchCommitted, startCentreLinks, startLaneLinks } from './integrations/integrations';
import { loadIntegrationsConfig } from './integrations/integrations-config';
import { centreArrears } from './ports/centre-arrears';
import { centreOnlineFee } from './ports/centre-online-fee';
import { centrePath } from './ports/centre-path';
import { centrePsamState } from './ports/centre-psam-state';
import { seedDemo } from './seed';
import { TEST_KDF } from './services/password';
import { createStation } from './station';
import { centreFetch, loadCentreTrustConfig } from './sync/centre-tls';

const USAGE = `station — the toll station server (configured by environment variables)

Usage: tsx apps/station/src/main.ts [--help]

Server
  PORT, HOST                  listen address (HOST default 127.0.0.1)
  DATABASE_URL                PostgreSQL; SQLite under DATA_DIR otherwise
  DATA_DIR                    data directory (default ./data)
  TARIFF_FILE, LISTS_DIR      tariff file and status lists to start with
  VALID_CARD_NETWORKS         comma list of card network codes accepted
  CPC_VALID_AREAS             comma list of CPC issuer areas (8 hex) accepted; any when empty
  CPC_TIME_BASE               utc (default) or beijing: the base of the CPC's card times
  CPC_WRITE_FAILED_SPECIAL    special of a CPC whose exit write failed after payment (default 523)
  CPC_REPEAT_EXIT_WINDOW_HOURS  a CPC exited here within this many hours is refused at 【读卡】 unless
                              its live entry names another trip (default 24; 0 = off)
  GREEN_MIN_PHOTOS            photos of the load a 绿通查验 needs, from several sides (default 3)
  GREEN_MIXED_ALLOWED=1       a mixed load (混装) passes the 绿通查验 (default: it fails)
  ARREARS_PAYBACK_BEFORE_EXIT=1  an exit whose plate has open arrears waits for their payback (补缴)
                              at its payment intent (default: the collector is told, the exit goes on)
  SYNC_GREEN_INTERVAL_MS      the green-channel appointment and ban lists' poll (default 600000, 10 min)
  STATION_SEED=demo           demo accounts and lanes (TEST data)
  STATION_KDF=test            cheap scrypt (tests only)
  LOG_LEVEL, METRICS_TOKEN    log level; token that lets a scraper off the loopback read /metrics
  STATION_TLS=off             plain HTTP; HTTPS by default with a certificate from the station CA made on
                              first start under DATA_DIR/tls (STATION_TLS_HOSTS, STATION_TLS_CA_NAME)
Centre (mutual TLS, sync/centre-tls.ts)
  CENTRE_URL                  online fee at the centre, outbox relay upload, tariff and list sync,
                              the PSAMs' authorisation state (系统配置)
                              (ONLINE_FEE_TIMEOUT_MS default 1000; OUTBOX_*, SYNC_*)
  CENTRE_API_TOKEN            token for the centre's online fee
  CENTRE_CA_FILE              the centre CA to trust
  CENTRE_CLIENT_CERT_FILE, CENTRE_CLIENT_KEY_FILE
                              this station's certificate from the centre CA (CN = the station ID)
  CENTRE_PUBLISHER_KEY_FILE   the publisher's public key: files signed with another key, or unsigned, are refused
Lane linkage (integrations/integrations-config.ts, packages/linkage/PROTOCOL.md)
  MQTT_URL                    broker; otherwise the embedded broker on MQTT_PORT (1883)
  TOPIC_ROOT, LINKAGE=0       topic root; LINKAGE=0 disables linkage
  MQTT_USERNAME, MQTT_PASSWORD  the station's account (default username station-{stationId})
  MQTT_CA_FILE                CA of an mqtts:// broker
  MQTT_BROKER_PASSWORD_FILE   Mosquitto-format accounts: the embedded broker runs only with it
  MQTT_BROKER_TLS_KEY_FILE, MQTT_BROKER_TLS_CERT_FILE  the embedded broker over TLS`;

async function main(): Promise<void> {
  envOnlyCommandLine(process.argv.slice(2), USAGE);
  const runtime = checkServerRuntime();
  const config = loadConfig();
  const tls = config.tls ? await stationTls(config) : undefined;
  const networks = (process.env.VALID_CARD_NETWORKS ?? '').split(',').filter(Boolean);
  const centreUrl = process.env.CENTRE_URL;
  const viaCentreTls = centreUrl ? centreFetch(loadCentreTrustConfig()) : undefined;
  const station = await createStation({
    config,
    ...(tls ? { https: tls.https } : {}),
    ...(process.env.STATION_KDF === 'test' ? { kdf: TEST_KDF } : {}),
    ...(networks.length > 0 ? { validNetworks: networks } : {}),
    ...(centreUrl
      ? {
          onlineFeeSource: centreOnlineFee(centreUrl, process.env.CENTRE_API_TOKEN, viaCentreTls),
          psamState: centrePsamState(centreUrl, process.env.CENTRE_API_TOKEN, viaCentreTls),
          arrears: centreArrears(centreUrl, process.env.CENTRE_API_TOKEN, viaCentreTls),
          path: centrePath(centreUrl, process.env.CENTRE_API_TOKEN, viaCentreTls),
        }
      : {}),
  });
  const ic = loadIntegrationsConfig(process.env, config.dataDir);
  const ports = {
    app: station.app,
    services: station.services,
    registry: station.metrics.registry,
    log: station.app.log,
  };
  // The sync runs first, so the demo seed picks its station from the centre's tariff.
  const centre = await startCentreLinks(ports, ic);
  if (process.env.STATION_SEED === 'demo') await seedDemo(station.services);
  // Linkage needs the station ID, which the demo seed may have just configured.
  const linkage = await startLaneLinks(ports, ic);
  station.onRecordCommitted((row, replayed) =>
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
      tls: tls ? { caFile: tls.caFile, hosts: tls.hosts } : 'off',
      runtime,
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

main().catch((e: unknown) => {
  console.error(JSON.stringify({ level: 60, msg: 'station failed to start', err: String(e) }));
  process.exit(1);
});
