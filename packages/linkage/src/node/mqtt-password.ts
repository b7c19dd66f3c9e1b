import { pbkdf2, randomBytes, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { type LinkageResult, linkFail } from '../errors';

/**
 * MQTT passwords in Mosquitto's `password_file` format (`username:$7$iterations$salt$hash`, PBKDF2 with
 * HMAC-SHA512, as `mosquitto_passwd` writes it), so one file serves Mosquitto and the embedded broker and
 * no broker keeps a password in clear.
 */
const derive = promisify(pbkdf2);

/** Mosquitto 2's default [I]; configurable for a site that wants a costlier hash. */
export const DEFAULT_PBKDF2_ITERATIONS = 101;
const SALT_BYTES = 12;
const HASH_BYTES = 64;

/** Who may connect: username → encoded hash. */
export interface PasswordTable {
  get(username: string): string | undefined;
}

export interface MqttCredential {
  readonly username: string;
  readonly password: string;
}

export async function hashMqttPassword(
  password: string,
  iterations: number = DEFAULT_PBKDF2_ITERATIONS,
): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const hash = await derive(password, salt, iterations, HASH_BYTES, 'sha512');
  return `$7$${iterations}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

/** False for a wrong password and for a hash in any other format. */
export async function verifyMqttPassword(password: string, encoded: string): Promise<boolean> {
  const [empty, kind, iterText, saltText, hashText] = encoded.split('$');
  const iterations = Number(iterText);
  if (empty !== '' || kind !== '7' || !Number.isSafeInteger(iterations) || iterations < 1) return false;
  if (iterations > 10_000_000 || saltText === undefined || hashText === undefined) return false;
  const expected = Buffer.from(hashText, 'base64');
  if (expected.length !== HASH_BYTES) return false;
  const actual = await derive(password, Buffer.from(saltText, 'base64'), iterations, HASH_BYTES, 'sha512');
  return timingSafeEqual(actual, expected);
}

export async function renderPasswordFile(
  credentials: readonly MqttCredential[],
  iterations: number = DEFAULT_PBKDF2_ITERATIONS,
): Promise<string> {
  const lines = await Promise.all(
    credentials.map(async (c) => `${c.username}:${await hashMqttPassword(c.password, iterations)}`),
  );
  return `${lines.join('\n')}\n`;
}

/** username → encoded hash; a malformed line is a typed error naming the line. */
export function parsePasswordFile(text: string): LinkageResult<ReadonlyMap<string, string>> {
  const users = new Map<string, string>();
  const lines = text.split(/\r?\n/);
  for (const [i, line] of lines.entries()) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const colon = line.indexOf(':');
    const username = line.slice(0, colon);
    const hash = line.slice(colon + 1);
    if (colon < 1 || !hash.startsWith('$7$')) {
      return linkFail('CONFIG_INVALID', `passwordFile:${i + 1}`, `MQTT密码文件第${i + 1}行格式不符`);
    }
    users.set(username, hash);
  }
  return { ok: true, value: users };
}
