import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Merchant request signing [P] (payments.md §10; the Fujian cloudPay MD5 over `&`-joined fields is the weak
 * model this replaces). HMAC-SHA256 with the merchant key over a canonical string that binds the method,
 * the path, the merchant, a timestamp, a single-use nonce and the SHA-256 of the exact body bytes.
 */
export const SIGNATURE_SCHEME = 'PAYGATE-HMAC-SHA256';
export const RESPONSE_SCHEME = 'PAYGATE-HMAC-SHA256-RESPONSE';

export const HEADER = {
  merchant: 'x-paygate-merchant',
  timestamp: 'x-paygate-timestamp',
  nonce: 'x-paygate-nonce',
  signature: 'x-paygate-signature',
} as const;

export const NONCE_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;

export interface SignedParts {
  method: string;
  /** Path and query exactly as sent (e.g. `/v1/orders/TP…-1`). */
  path: string;
  merchantId: string;
  /** UNIX seconds. */
  timestamp: number;
  nonce: string;
  body: Uint8Array | string;
}

export function sha256Hex(body: Uint8Array | string): string {
  return createHash('sha256').update(body).digest('hex');
}

export function canonicalRequest(p: SignedParts): string {
  return [
    SIGNATURE_SCHEME,
    p.method.toUpperCase(),
    p.path,
    p.merchantId,
    String(p.timestamp),
    p.nonce,
    sha256Hex(p.body),
  ].join('\n');
}

function hmacHex(key: string, text: string): string {
  return createHmac('sha256', key).update(text).digest('hex');
}

/** The four headers a merchant request carries. */
export function signRequest(key: string, p: SignedParts): Record<string, string> {
  return {
    [HEADER.merchant]: p.merchantId,
    [HEADER.timestamp]: String(p.timestamp),
    [HEADER.nonce]: p.nonce,
    [HEADER.signature]: hmacHex(key, canonicalRequest(p)),
  };
}

/** Whether `signature` (hex) is the merchant's signature of `p`; constant-time. */
export function verifyRequest(key: string, p: SignedParts, signature: string): boolean {
  return equalHex(hmacHex(key, canonicalRequest(p)), signature);
}

/**
 * The platform signs its answer too, bound to the request's nonce, so the station can tell an answer to its
 * own request from a replayed or forged one.
 */
export function canonicalResponse(merchantId: string, nonce: string, status: number, body: string): string {
  return [RESPONSE_SCHEME, merchantId, nonce, String(status), sha256Hex(body)].join('\n');
}

export function signResponse(
  key: string,
  merchantId: string,
  nonce: string,
  status: number,
  body: string,
): string {
  return hmacHex(key, canonicalResponse(merchantId, nonce, status, body));
}

export function verifyResponse(
  key: string,
  o: { merchantId: string; nonce: string; status: number; body: string },
  signature: string,
): boolean {
  return equalHex(signResponse(key, o.merchantId, o.nonce, o.status, o.body), signature);
}

function equalHex(expected: string, given: string): boolean {
  if (!/^[0-9a-f]{64}$/.test(given)) return false;
  return timingSafeEqual(Buffer.from(expected, 'hex'), Buffer.from(given, 'hex'));
}
