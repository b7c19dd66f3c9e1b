import { createHash, X509Certificate } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import type { CertificateAuthority, TlsIdentity } from './certificates';

/** Options for `https.createServer` / `tls.createServer` (and Fastify's `https`). */
export interface ServerTlsOptions {
  cert: string;
  key: string;
  ca?: string[];
  requestCert: boolean;
  rejectUnauthorized: boolean;
  minVersion: 'TLSv1.2';
}

/**
 * A server presenting `identity` (its chain includes the CA, so a client holding only the CA's SPKI pin can
 * match it). With `clientCa`, every client must present a certificate that CA issued.
 */
export function serverTlsOptions(o: {
  identity: TlsIdentity;
  issuer?: CertificateAuthority;
  clientCa?: string | readonly string[];
}): ServerTlsOptions {
  const chain = o.issuer ? `${o.identity.cert.trim()}\n${o.issuer.cert.trim()}\n` : o.identity.cert;
  const clientCa =
    o.clientCa === undefined ? undefined : typeof o.clientCa === 'string' ? [o.clientCa] : [...o.clientCa];
  return {
    cert: chain,
    key: o.identity.key,
    ...(clientCa ? { ca: clientCa } : {}),
    requestCert: clientCa !== undefined,
    rejectUnauthorized: clientCa !== undefined,
    minVersion: 'TLSv1.2',
  };
}

/** Options for `tls.connect` / `https.request` / an undici Agent's `connect`: trust `ca`, optionally present `identity`. */
export function clientTlsOptions(o: {
  ca: string | readonly string[];
  identity?: TlsIdentity;
  servername?: string;
}): {
  ca: string[];
  cert?: string;
  key?: string;
  servername?: string;
  rejectUnauthorized: true;
  minVersion: 'TLSv1.2';
} {
  return {
    ca: typeof o.ca === 'string' ? [o.ca] : [...o.ca],
    ...(o.identity ? { cert: o.identity.cert, key: o.identity.key } : {}),
    ...(o.servername ? { servername: o.servername } : {}),
    rejectUnauthorized: true,
    minVersion: 'TLSv1.2',
  };
}

/**
 * The CN of the client certificate the server verified on this socket, or undefined (no certificate, or one
 * the server's CA did not vouch for).
 */
export function peerIdentity(socket: TLSSocket): string | undefined {
  if (!socket.authorized) return undefined;
  const cn = socket.getPeerCertificate().subject?.CN;
  return typeof cn === 'string' && cn !== '' ? cn : undefined;
}

/** base64 SHA-256 of a certificate's SubjectPublicKeyInfo (Chromium's `--ignore-certificate-errors-spki-list`, HPKP form). */
export function spkiSha256(certPem: string): string {
  const der = new X509Certificate(certPem).publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('base64');
}
