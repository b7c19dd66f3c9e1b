/** A merchant account: its ID, its signing key and whether it is a TEST account. */
export interface Merchant {
  id: string;
  key: string;
  name: string;
  /** TEST accounts move TEST money only; every key of the default accounts starts with `TEST-`. */
  test: boolean;
}

/**
 * `PAYGATE_MERCHANTS` = `id:key[:name],…`. A key must be at least 32 characters: the HMAC is only as strong
 * as the key. A merchant whose ID or key starts with TEST is a TEST account.
 */
export function parseMerchants(text: string): Merchant[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((entry) => {
      const [id, key, ...name] = entry.split(':');
      if (!id || !/^[A-Za-z0-9_-]{4,32}$/.test(id))
        throw new Error(`PAYGATE_MERCHANTS: bad merchant ID in "${id}"`);
      if (!key || key.length < 32)
        throw new Error(`PAYGATE_MERCHANTS: the key of ${id} must be ≥ 32 characters`);
      return { id, key, name: name.join(':') || id, test: id.startsWith('TEST') || key.startsWith('TEST-') };
    });
}
