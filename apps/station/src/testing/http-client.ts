import { Agent, request } from 'node:http';
import type { HttpCall } from './sim-handheld';

/**
 * SimHandheld's HttpCall over real HTTP/1.1 with keep-alive (one socket per concurrent handheld), for
 * load generated outside the station's process.
 */
export function httpClient(baseUrl: string, maxSockets = 64): { call: HttpCall; close(): void } {
  const agent = new Agent({ keepAlive: true, maxSockets });
  const base = new URL(baseUrl);
  const call: HttpCall = (method, url, body, headers = {}) =>
    new Promise((resolve, reject) => {
      let payload: Buffer | undefined;
      const h: Record<string, string> = { ...headers };
      if (Buffer.isBuffer(body)) payload = body;
      else if (body !== undefined) {
        payload = Buffer.from(JSON.stringify(body));
        h['content-type'] = 'application/json';
      }
      if (payload) h['content-length'] = String(payload.length);
      const req = request(
        { host: base.hostname, port: base.port, method, path: url, headers: h, agent },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const json = text.length > 0 && String(res.headers['content-type']).includes('json');
            resolve({ status: res.statusCode ?? 0, body: json ? (JSON.parse(text) as unknown) : text });
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  return { call, close: () => agent.destroy() };
}
