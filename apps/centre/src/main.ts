import { checkServerRuntime } from '@tollpad/server-kit';
import { createCentre } from './centre';
import { loadConfig } from './config';

/**
 * `tsx apps/centre/src/main.ts` — env PORT, HOST (127.0.0.1), DATABASE_URL, DATA_DIR, SEED.
 * Serves HTTPS with mutual TLS: CENTRE_TLS_DIR (default DATA_DIR/tls) holds the centre CA, made on first
 * start, which issues the server certificate (CENTRE_TLS_HOSTS) and one client certificate per station
 * (CN = station ID) or publisher (CN = publisher:<name>) — see tls/centre-tls.ts. PUBLISHER_KEY_FILE is the
 * Ed25519 key that signs tariff and list files (unset: a TEST pair under DATA_DIR/publisher/).
 * CENTRE_PLAIN_HTTP=1 serves plain HTTP for unit tests only. Full list: apps/centre/INTERFACES.md.
 */
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
