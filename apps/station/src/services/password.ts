import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * Password hashing with scrypt (memory-hard, in node:crypto). Defaults follow OWASP's password storage
 * cheat sheet: N=2^17, r=8, p=1 (128 MiB, ~0.2–0.4 s on the target machine), 16-byte salt, 32-byte key.
 * The parameters are stored with each hash, so they can be raised later and old hashes still verify.
 */
export interface KdfParams {
  N: number;
  r: number;
  p: number;
}

export const DEFAULT_KDF: KdfParams = { N: 2 ** 17, r: 8, p: 1 };
/** Cheap parameters for tests only (TEST): never use for real accounts. */
export const TEST_KDF: KdfParams = { N: 2 ** 10, r: 8, p: 1 };

const KEY_LEN = 32;

function derive(password: string, salt: Buffer, k: KdfParams): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(
      password,
      salt,
      KEY_LEN,
      { N: k.N, r: k.r, p: k.p, maxmem: 256 * k.N * k.r + 1024 * 1024 },
      (e, key) => (e ? reject(e) : resolve(key)),
    );
  });
}

export async function hashPassword(password: string, k: KdfParams = DEFAULT_KDF): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, k);
  return `scrypt$${k.N}$${k.r}$${k.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  if (![N, r, p].every((x) => Number.isSafeInteger(x) && x > 0)) return false;
  const salt = Buffer.from(parts[4] ?? '', 'base64');
  const expected = Buffer.from(parts[5] ?? '', 'base64');
  if (expected.length !== KEY_LEN) return false;
  const key = await derive(password, salt, { N, r, p });
  return timingSafeEqual(key, expected);
}

const dummies = new Map<string, Promise<string>>();

/**
 * A hash of no one's password with the given parameters, made once: a login for an unknown username
 * verifies against it, so it costs the same KDF work as a wrong password for a real account.
 */
export function dummyHash(k: KdfParams = DEFAULT_KDF): Promise<string> {
  const key = `${k.N}/${k.r}/${k.p}`;
  let h = dummies.get(key);
  if (!h) {
    h = hashPassword(randomBytes(16).toString('base64'), k);
    dummies.set(key, h);
  }
  return h;
}
