import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { caPaths, issueServerCert } from '@tollpad/server-kit';
import { REPO_ROOT } from '../../scripts/sim/processes';
import { startHandheldServer } from '../../scripts/sim/static-server';

/**
 * The handheld page server as `npm start` runs it (HTTPS from the station CA, passing the API through to the
 * station), in a process of its own so that the hostile suite can tell whether a request ended it.
 * Env: STATION_URL, STATION_CA_FILE (the station CA certificate; its key sits beside it, TEST CA).
 */
const stationUrl = process.env.STATION_URL;
const caFile = process.env.STATION_CA_FILE;
if (!stationUrl || !caFile) throw new Error('STATION_URL and STATION_CA_FILE are required');
const paths = caPaths(dirname(caFile));
const ca = { cert: readFileSync(paths.cert, 'utf8'), key: readFileSync(paths.key, 'utf8') };
const identity = await issueServerCert(ca, { hosts: ['localhost', '127.0.0.1'] });
const server = await startHandheldServer(
  join(REPO_ROOT, 'apps', 'handheld', 'dist'),
  stationUrl,
  0,
  undefined,
  {
    identity,
    stationCa: ca.cert,
  },
);
process.stdout.write(`page server ${server.url}\n`);
const stop = () => void server.close().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
