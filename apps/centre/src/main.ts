import { checkServerRuntime, envOnlyCommandLine } from '@tollpad/server-kit';
import { createCentre } from './centre';
import { loadConfig } from './config';

const USAGE = `centre — the reference provincial centre (configured by environment variables)

Usage: tsx apps/centre/src/main.ts [--help]

  PORT, HOST                  listen address (HOST default 127.0.0.1)
  DATABASE_URL                PostgreSQL; SQLite under DATA_DIR otherwise (PG_POOL_SIZE, default 10)
  DATA_DIR                    data directory
  SEED, SEED_ON_START=0       seed of the synthetic TEST province; 0 skips seeding on start
  SEED_CARD_LIST_SIZE, SEED_CARD_ENTRIES  the seeded card status list (entries: card:type,…)
  LIST_DELTA_MINUTES          how often list increments are cut (default 5)
  CENTRE_API_TOKEN            token required for the online fee
  UNKNOWN_ISSUER=reject       refuse records of an unknown issuer (default: quarantine)
  PSAM_REVOKED                comma list of revoked PSAMs
  BODY_LIMIT_BYTES, LOG_LEVEL, METRICS_TOKEN
  CENTRE_TLS_DIR              the centre CA (default DATA_DIR/tls), made on first start; it issues the
                              server certificate (CENTRE_TLS_HOSTS) and one client certificate per
                              station (CN = station ID) or publisher (CN = publisher:<name>)
  PUBLISHER_KEY_FILE          Ed25519 key that signs tariff and list files (unset: a TEST pair under
                              DATA_DIR/publisher/)
  CENTRE_PLAIN_HTTP=1         plain HTTP (unit tests only)

Full list: apps/centre/INTERFACES.md`;

envOnlyCommandLine(process.argv.slice(2), USAGE);
let runtime: string;
try {
  runtime = checkServerRuntime();
} catch (e) {
  // One line saying what to do (wrong Node, addon built for another one), not a stack trace.
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
}
const config = loadConfig();
const centre = await createCentre({ config });
const shutdown = async () => {
  await centre.close();
  process.exit(0);
};
process.once('SIGINT', () => void shutdown());
process.once('SIGTERM', () => void shutdown());
const address = await centre.app.listen({ port: config.port, host: config.host });
centre.app.log.info({ event: 'ready', address, runtime }, 'centre ready');
