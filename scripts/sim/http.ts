import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fetchTrusting, stationCaFromEnv } from './tls-fetch';

/** The demo station's CA (`npm start` makes it here), unless TOLLPAD_STATION_CA names another. */
const DEMO_CA = join(fileURLToPath(new URL('../..', import.meta.url)), 'data/demo/station/tls/ca.cert.pem');
let trusted: typeof fetch | undefined;
function stationFetch(): typeof fetch {
  trusted ??= fetchTrusting(
    stationCaFromEnv(
      process.env.TOLLPAD_STATION_CA || !existsSync(DEMO_CA) ? process.env : { TOLLPAD_STATION_CA: DEMO_CA },
    ),
  );
  return trusted;
}

/** Per origin, the `fetch` to reach it with (the centre: mutual TLS with the launcher's certificate). */
const fetchByOrigin = new Map<string, typeof fetch>();
export function useFetchFor(base: string, f: typeof fetch): void {
  fetchByOrigin.set(new URL(base).origin, f);
}
/** The `fetch` registered for `base`'s origin, or the one that trusts the station CA. */
export function fetchFor(base: string): typeof fetch {
  return fetchByOrigin.get(new URL(base).origin) ?? stationFetch();
}

/** JSON over fetch for the simulators; a non-2xx answer is an ApiError carrying the body. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly path: string,
  ) {
    super(`${path}: HTTP ${status} ${JSON.stringify(body)}`);
    this.name = 'ApiError';
  }
}

export async function api<T = Record<string, unknown>>(
  base: string,
  method: string,
  path: string,
  opts: { body?: unknown; token?: string; raw?: { data: Buffer; type: string } } = {},
): Promise<T> {
  const headers: Record<string, string> = {};
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: BodyInit | undefined;
  if (opts.raw) {
    headers['content-type'] = opts.raw.type;
    body = new Uint8Array(opts.raw.data);
  } else if (opts.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  const res = await fetchFor(base)(`${base.replace(/\/$/, '')}${path}`, {
    method,
    headers,
    ...(body ? { body } : {}),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: keep the text
  }
  if (!res.ok) throw new ApiError(res.status, parsed, `${method} ${path}`);
  return parsed as T;
}
