// @peculiar/x509 resolves its ASN.1 serializers through tsyringe, which needs the Reflect metadata API loaded first.
import 'reflect-metadata';
import { randomBytes, webcrypto } from 'node:crypto';
import { isIP } from 'node:net';
import * as x509 from '@peculiar/x509';

/** A certificate and its private key, both PEM (the key PKCS#8), as `tls` options take them. */
export interface TlsIdentity {
  cert: string;
  key: string;
}

/** A CA is an identity whose certificate may sign others. */
export type CertificateAuthority = TlsIdentity;

const crypto = webcrypto as unknown as Crypto;
const EC: EcKeyGenParams = { name: 'ECDSA', namedCurve: 'P-256' };
const SIGN: EcdsaParams = { name: 'ECDSA', hash: 'SHA-256' };
const DAY_MS = 86_400_000;
/** Certificates are valid from a few minutes back, so a peer whose clock is slightly behind accepts them. */
const CLOCK_SKEW_MS = 5 * 60_000;

export interface CaOptions {
  /** Subject common name, e.g. "tollpad station S01 CA". */
  commonName: string;
  organization?: string;
  validityDays?: number;
}

export interface ServerCertOptions {
  /** Host names and IP addresses the server answers on (each goes to the SAN as DNS or IP). */
  hosts: readonly string[];
  commonName?: string;
  validityDays?: number;
}

export interface ClientCertOptions {
  /** The identity the peer reads back (e.g. a station ID); carried in the subject CN. */
  commonName: string;
  organization?: string;
  /** Optional SAN entries (e.g. a URI naming the station) besides the CN. */
  dnsNames?: readonly string[];
  validityDays?: number;
}

/** A new self-signed ECDSA P-256 CA (may sign leaf certificates only: path length 0). */
export async function createCa(o: CaOptions): Promise<CertificateAuthority> {
  const keys = (await crypto.subtle.generateKey(EC, true, ['sign', 'verify'])) as CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: serialNumber(),
      name: nameOf(o.commonName, o.organization),
      ...validity(o.validityDays ?? 3650),
      keys,
      signingAlgorithm: SIGN,
      extensions: [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, crypto),
      ],
    },
    crypto,
  );
  return { cert: cert.toString('pem'), key: await keyPem(keys.privateKey) };
}

/** A TLS server certificate for `hosts`, signed by `ca`. */
export async function issueServerCert(ca: CertificateAuthority, o: ServerCertOptions): Promise<TlsIdentity> {
  if (o.hosts.length === 0) throw new Error('a server certificate needs at least one host');
  const san = o.hosts.map((h) =>
    isIP(h) ? { type: 'ip' as const, value: h } : { type: 'dns' as const, value: h },
  );
  return issue(ca, {
    subject: nameOf(o.commonName ?? o.hosts[0] ?? 'server'),
    validityDays: o.validityDays ?? 825,
    usage: x509.ExtendedKeyUsage.serverAuth,
    san,
  });
}

/** A TLS client certificate whose subject CN carries `commonName` (read back with `peerIdentity`). */
export async function issueClientCert(ca: CertificateAuthority, o: ClientCertOptions): Promise<TlsIdentity> {
  return issue(ca, {
    subject: nameOf(o.commonName, o.organization),
    validityDays: o.validityDays ?? 825,
    usage: x509.ExtendedKeyUsage.clientAuth,
    san: (o.dnsNames ?? []).map((value) => ({ type: 'dns' as const, value })),
  });
}

async function issue(
  ca: CertificateAuthority,
  o: { subject: string; validityDays: number; usage: string; san: x509.JsonGeneralNames },
): Promise<TlsIdentity> {
  const caCert = new x509.X509Certificate(ca.cert);
  const caKey = await crypto.subtle.importKey('pkcs8', pemBody(ca.key), EC, false, ['sign']);
  const keys = (await crypto.subtle.generateKey(EC, true, ['sign', 'verify'])) as CryptoKeyPair;
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
    new x509.ExtendedKeyUsageExtension([o.usage], false),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, crypto),
    await x509.AuthorityKeyIdentifierExtension.create(caCert, false, crypto),
  ];
  if (o.san.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(o.san, false));
  const cert = await x509.X509CertificateGenerator.create(
    {
      serialNumber: serialNumber(),
      subject: o.subject,
      issuer: caCert.subject,
      ...validity(o.validityDays),
      publicKey: keys.publicKey,
      signingKey: caKey,
      signingAlgorithm: SIGN,
      extensions,
    },
    crypto,
  );
  return { cert: cert.toString('pem'), key: await keyPem(keys.privateKey) };
}

/** RFC 4514 string; values are escaped so a CN like "S01, O=evil" stays one attribute. */
function nameOf(commonName: string, organization?: string): string {
  const parts = [`CN=${escapeDn(commonName)}`];
  if (organization !== undefined) parts.push(`O=${escapeDn(organization)}`);
  return parts.join(', ');
}

function escapeDn(v: string): string {
  return v.replace(/[\\,+"<>;=#]/g, (c) => `\\${c}`).replace(/^ | $/g, (c) => `\\${c}`);
}

/** 16 random bytes, first bit clear so the DER integer stays positive. */
function serialNumber(): string {
  const b = randomBytes(16);
  b[0] = (b[0] ?? 0) & 0x7f;
  return b.toString('hex');
}

function validity(days: number): { notBefore: Date; notAfter: Date } {
  const now = Date.now();
  return { notBefore: new Date(now - CLOCK_SKEW_MS), notAfter: new Date(now + days * DAY_MS) };
}

async function keyPem(key: CryptoKey): Promise<string> {
  const der = await crypto.subtle.exportKey('pkcs8', key);
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

function pemBody(pem: string): ArrayBuffer {
  const [der] = x509.PemConverter.decode(pem);
  if (!der) throw new Error('no PEM block in the key');
  return der;
}
