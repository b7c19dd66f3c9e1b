import { Pool } from 'undici';
import type { HttpCall } from './sim-handheld';

/**
 * SimHandheld's HttpCall over real HTTP/1.1 with keep-alive (one connection per concurrent handheld), for
 * load generated outside the station's process. undici rather than node:http: the load generator shares
 * the benchmark's two cores with the station, and node:http's client cost about twice its CPU per exit
 * (0.87 against 0.39–0.46 ms, measured 2026-11-24).
 */
export function httpClient(
  baseUrl: string,
  connections = 64,
  /** The CA an https station's certificate must chain to (the station CA): nothing else is trusted. */
  ca?: string,
): { call: HttpCall; close(): Promise<void> } {
  const pool = new Pool(baseUrl, { connections, pipelining: 1, ...(ca ? { connect: { ca } } : {}) });
  const call: HttpCall = async (method, path, body, headers = {}) => {
    const h: Record<string, string> = { ...headers };
    let payload: Buffer | string | undefined;
    if (Buffer.isBuffer(body)) payload = body;
    else if (body !== undefined) {
      payload = JSON.stringify(body);
      h['content-type'] = 'application/json';
    }
    const res = await pool.request({
      method,
      path,
      headers: h,
      ...(payload === undefined ? {} : { body: payload }),
    });
    const text = await res.body.text();
    const json = text.length > 0 && String(res.headers['content-type']).includes('json');
    return { status: res.statusCode, body: json ? (JSON.parse(text) as unknown) : text };
  };
  return { call, close: () => pool.close() };
}
