import { createCentre } from './centre';
import { loadConfig } from './config';

/** `tsx apps/centre/src/main.ts` — env PORT, HOST (127.0.0.1), DATABASE_URL, DATA_DIR, SEED. */
const config = loadConfig();
const centre = await createCentre({ config });
const shutdown = async () => {
  await centre.close();
  process.exit(0);
};
process.once('SIGINT', () => void shutdown());
process.once('SIGTERM', () => void shutdown());
await centre.app.listen({ port: config.port, host: config.host });
