import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type CaOptions, type CertificateAuthority, createCa } from './certificates';

export const CA_CERT_FILE = 'ca.cert.pem';
export const CA_KEY_FILE = 'ca.key.pem';

/** Where a CA lives under a data directory (the cert is the file a phone or a peer is told to trust). */
export function caPaths(dir: string): { cert: string; key: string } {
  return { cert: join(dir, CA_CERT_FILE), key: join(dir, CA_KEY_FILE) };
}

/**
 * The CA kept in `dir`, made on first call. The key file is mode 0600 (tightened if found looser); a second
 * start reuses both files, so certificates issued and trust given earlier stay valid.
 */
export async function loadOrCreateCa(dir: string, o: CaOptions): Promise<CertificateAuthority> {
  const p = caPaths(dir);
  const existing = await readPair(p);
  if (existing) {
    await chmod(p.key, 0o600);
    return existing;
  }
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const ca = await createCa(o);
  // Key first, cert last: a crash in between leaves no cert, so the next start makes a whole new pair.
  await writeAtomic(p.key, ca.key, 0o600);
  await writeAtomic(p.cert, ca.cert, 0o644);
  return ca;
}

async function readPair(p: { cert: string; key: string }): Promise<CertificateAuthority | undefined> {
  try {
    const [cert, key] = await Promise.all([readFile(p.cert, 'utf8'), readFile(p.key, 'utf8')]);
    return { cert, key };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

async function writeAtomic(file: string, text: string, mode: number): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, text, { mode, flag: 'w' });
  await chmod(tmp, mode);
  await rename(tmp, file);
}
