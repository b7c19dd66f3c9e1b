import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { caPaths, type TlsIdentity } from '@tollpad/server-kit';
import { centreCa, issuePublisherIdentity, issueStationIdentity } from './centre-tls';

/** A client's credential files for the centre link (what the station's CENTRE_* variables name). */
export interface CentreCredentialFiles {
  /** The centre CA certificate: the client trusts the centre's server certificate through it. */
  caFile: string;
  certFile: string;
  keyFile: string;
}

/**
 * For launchers (demo, e2e world, plaza day): makes the centre CA in `tlsDir` if needed (the centre started
 * with CENTRE_TLS_DIR=tlsDir uses the same), issues a station's client certificate and writes it under
 * `outDir` (key 0600). TEST credentials.
 */
export async function writeStationCredentials(
  tlsDir: string,
  stationId: string,
  outDir: string,
): Promise<CentreCredentialFiles> {
  return write(tlsDir, outDir, `station-${stationId}`, await issueStationIdentity(tlsDir, stationId));
}

/** The same for a publisher (`publisher:<name>`): what a launcher uses for its own calls to the centre. */
export async function writePublisherCredentials(
  tlsDir: string,
  name: string,
  outDir: string,
): Promise<CentreCredentialFiles> {
  return write(tlsDir, outDir, `publisher-${name}`, await issuePublisherIdentity(tlsDir, name));
}

async function write(
  tlsDir: string,
  outDir: string,
  stem: string,
  id: TlsIdentity,
): Promise<CentreCredentialFiles> {
  await centreCa(tlsDir);
  await mkdir(outDir, { recursive: true, mode: 0o700 });
  const certFile = join(outDir, `TEST-${stem}.cert.pem`);
  const keyFile = join(outDir, `TEST-${stem}.key.pem`);
  await writeFile(certFile, id.cert);
  await writeFile(keyFile, id.key, { mode: 0o600 });
  await chmod(keyFile, 0o600);
  return { caFile: caPaths(tlsDir).cert, certFile, keyFile };
}
