import { readFileSync } from 'node:fs';
import { Agent, fetch as undiciFetch } from 'undici';

/**
 * `fetch` that trusts `ca` (PEM) for https: the station's own CA, which the process' default trust store
 * does not hold. Plain `fetch` without a CA.
 */
export function fetchTrusting(ca: string | undefined): typeof fetch {
  if (!ca) return fetch;
  const dispatcher = new Agent({ connect: { ca } });
  return ((input: string | URL, init?: RequestInit) =>
    undiciFetch(input, { ...(init as object), dispatcher })) as unknown as typeof fetch;
}

/** The station CA named by TOLLPAD_STATION_CA (a file path, as `npm start` prints it), if any. */
export function stationCaFromEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const file = env.TOLLPAD_STATION_CA;
  return file ? readFileSync(file, 'utf8') : undefined;
}
