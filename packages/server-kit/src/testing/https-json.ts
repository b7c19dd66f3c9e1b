import { type RequestOptions, request } from 'node:https';

/** An HTTPS answer: its status, its body and that body parsed as JSON (undefined when it is not JSON). */
export interface JsonAnswer {
  status: number;
  text: string;
  json: unknown;
}

/**
 * One HTTPS request with an optional JSON body, over node:https so that a test chooses what fetch does not
 * let it: the client certificate it presents (`cert`, `key`) and the local address it sends from.
 */
export function httpsJson(url: string, options: RequestOptions, body?: unknown): Promise<JsonAnswer> {
  const data = body === undefined ? undefined : JSON.stringify(body);
  const headers = {
    ...(data === undefined ? {} : { 'content-type': 'application/json' }),
    ...options.headers,
  };
  return new Promise((resolve, reject) => {
    const req = request(url, { ...options, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, text, json });
      });
    });
    req.on('error', reject);
    req.end(data);
  });
}
