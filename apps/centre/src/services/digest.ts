import { createHash } from 'node:crypto';

/**
 * Canonical JSON (RFC 8785 JCS for the values records carry): object keys sorted by UTF-16 code units,
 * no whitespace, strings and numbers as JSON.stringify writes them, `undefined` members omitted.
 * The digest acknowledged to the station is sha256(canonicalJson(record)) in lower-case hex.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError('non-finite number');
    return JSON.stringify(value) ?? 'null';
  }
  if (Array.isArray(value))
    return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

export function sha256Hex(text: string | Uint8Array): string {
  return createHash('sha256').update(text).digest('hex');
}

export function recordDigest(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}
