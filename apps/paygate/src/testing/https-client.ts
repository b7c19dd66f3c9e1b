import { randomBytes } from 'node:crypto';
import { request } from 'node:https';
import type { Merchant } from '../merchants';
import { HEADER, signRequest, verifyResponse } from '../signing/signature';

export interface SignedAnswer {
  status: number;
  text: string;
  json: unknown;
  /** Whether the answer carries the platform's valid signature for this request's nonce. */
  signedByPlatform: boolean;
}

/**
 * One merchant-signed HTTPS request to a paygate, trusting its CA — the reference for a station adapter:
 * sign the exact body bytes, send, verify the answer's signature. Rejects on a dropped connection or
 * when `timeoutMs` passes (the caller then queries: payments.md §5).
 */
export function signedHttps(
  base: string,
  o: { ca: string; merchant: Merchant; now?: () => Date; timeoutMs?: number },
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<SignedAnswer> {
  const raw = body === undefined ? '' : JSON.stringify(body);
  const nonce = randomBytes(12).toString('base64url');
  const headers = signRequest(o.merchant.key, {
    method,
    path,
    merchantId: o.merchant.id,
    timestamp: Math.floor((o.now?.() ?? new Date()).getTime() / 1000),
    nonce,
    body: raw,
  });
  return new Promise((resolve, reject) => {
    const req = request(
      `${base}${path}`,
      {
        method,
        ca: o.ca,
        headers: { ...headers, ...(raw ? { 'content-type': 'application/json' } : {}) },
        ...(o.timeoutMs ? { timeout: o.timeoutMs } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          const status = res.statusCode ?? 0;
          const signature = res.headers[HEADER.signature];
          const signedByPlatform =
            typeof signature === 'string' &&
            verifyResponse(
              o.merchant.key,
              { merchantId: o.merchant.id, nonce, status, body: text },
              signature,
            );
          resolve({ status, text, json, signedByPlatform });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(raw);
  });
}
