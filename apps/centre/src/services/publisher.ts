import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  generatePublisherKeyPair,
  type PublicationFields,
  type PublicationSignature,
  publisherSigningKey,
  type SchemeKey,
  signPublication,
} from '@tollpad/tariff/publication';

/** Where the TEST publisher key pair is kept when no PUBLISHER_KEY_FILE is configured. */
export function testPublisherKeyPaths(dataDir: string): { privateKey: string; publicKey: string } {
  const dir = join(dataDir, 'publisher');
  return {
    privateKey: join(dir, 'TEST-publisher.key.pem'),
    publicKey: join(dir, 'TEST-publisher.pub.pem'),
  };
}

/**
 * The centre as publisher: it signs every tariff and list file it publishes (Ed25519, see
 * @tollpad/tariff/publication for why not SM2), and stations verify with the public key they are given.
 */
export class Publisher {
  constructor(private readonly key: SchemeKey) {}

  get keyId(): string {
    return this.key.keyId;
  }

  sign(fields: PublicationFields, bytes: Uint8Array): string {
    const s: PublicationSignature = signPublication(this.key, fields, bytes);
    return JSON.stringify(s);
  }
}

/**
 * The configured publisher key, or (none configured) the TEST pair under `dataDir/publisher/`, made on first
 * start with the private key 0600; the public key file is what a demo station is pointed at.
 */
export async function loadPublisher(o: { keyFile: string | undefined; dataDir: string }): Promise<Publisher> {
  if (o.keyFile) return new Publisher(publisherSigningKey(await readFile(o.keyFile, 'utf8')));
  const p = testPublisherKeyPaths(o.dataDir);
  try {
    return new Publisher(publisherSigningKey(await readFile(p.privateKey, 'utf8')));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const pair = generatePublisherKeyPair();
  await mkdir(join(o.dataDir, 'publisher'), { recursive: true, mode: 0o700 });
  await writeFile(p.privateKey, pair.privatePem, { mode: 0o600 });
  await chmod(p.privateKey, 0o600);
  await writeFile(p.publicKey, pair.publicPem, { mode: 0o644 });
  return new Publisher(publisherSigningKey(pair.privatePem));
}
