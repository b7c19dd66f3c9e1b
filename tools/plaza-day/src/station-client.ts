import { fetchFor } from '../../../scripts/sim/http';

/** JSON over HTTP to the station, as a handheld on patchy Wi-Fi does it: retry while the server is away. */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly path: string,
  ) {
    super(`${path}: HTTP ${status} ${JSON.stringify(body).slice(0, 300)}`);
    this.name = 'ApiError';
  }

  get code(): string {
    const b = this.body as { code?: unknown } | null;
    return typeof b?.code === 'string' ? b.code : '';
  }
}

export interface RetryStats {
  /** Requests that failed on the network or with 502/503/504 and were sent again. */
  retries: number;
  /** Requests whose answer was lost after they may have reached the server. */
  lostAnswers: number;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export interface CallOptions {
  body?: unknown;
  raw?: { data: Uint8Array; type: string };
  token?: string;
  /** Give up after this long of failures (the station is restarted within seconds in a plaza day). */
  deadlineMs?: number;
  /** Called before each retry with the attempt number (the caller may re-check state). */
  onRetry?: (attempt: number) => void;
}

export async function callJson<T>(
  base: string,
  method: string,
  path: string,
  o: CallOptions,
  stats: RetryStats,
): Promise<{ value: T; attempts: number }> {
  const headers: Record<string, string> = {};
  if (o.token) headers.authorization = `Bearer ${o.token}`;
  let body: BodyInit | undefined;
  if (o.raw) {
    headers['content-type'] = o.raw.type;
    body = new Uint8Array(o.raw.data);
  } else if (o.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(o.body);
  }
  const deadline = Date.now() + (o.deadlineMs ?? 300_000);
  let delay = 100;
  for (let attempt = 1; ; attempt++) {
    let res: Response | undefined;
    try {
      res = await fetchFor(base)(`${base}${path}`, {
        method,
        headers,
        ...(body !== undefined ? { body } : {}),
        signal: AbortSignal.timeout(60_000),
      });
    } catch (e) {
      if (Date.now() > deadline) throw e;
      stats.retries++;
      if (method !== 'GET') stats.lostAnswers++;
    }
    if (res) {
      const text = await res.text().catch(() => null);
      if (text !== null && ![502, 503, 504].includes(res.status)) {
        let parsed: unknown = text;
        try {
          parsed = text ? JSON.parse(text) : null;
        } catch {
          // not JSON
        }
        if (!res.ok) throw new ApiError(res.status, parsed, `${method} ${path}`);
        return { value: parsed as T, attempts: attempt };
      }
      if (Date.now() > deadline) throw new ApiError(res.status, text, `${method} ${path}`);
      stats.retries++;
    }
    o.onRetry?.(attempt);
    await sleep(delay);
    delay = Math.min(delay * 2, 1_000);
  }
}
