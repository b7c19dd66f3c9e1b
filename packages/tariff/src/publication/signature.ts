import { createHash, type KeyObject, sign, verify } from 'node:crypto';
import { err, ok, type Result } from '@tollpad/domain';
import Type, { type Static } from 'typebox';
import { Compile } from 'typebox/compile';

/**
 * Signature schemes a publication may carry. Ed25519 is the scheme in use: Node's crypto (OpenSSL 3.0 in
 * Node 20, the same API in Node 24) loads an SM2 key only as a plain EC key on the SM2 curve and signs it as
 * ECDSA with SM3, without the SM2 user ID (the Z value of GB/T 32918.2), so its signatures neither verify
 * with `openssl dgst -sm3 -sigopt distid:…` nor verify OpenSSL's. 'sm2-sm3' is a name a real SM2 signer
 * (an HSM or a verified library) can be registered under; the envelope's `alg` field says which applies.
 */
export type SignatureAlgorithm = 'ed25519' | 'sm2-sm3';

/** Detached signature of one published file (a tariff file or a binary status-list file). */
export const PublicationSignatureSchema = Type.Object(
  {
    alg: Type.String({ maxLength: 16 }),
    /** First 16 hex digits of the sha256 of the publisher's public key (SPKI DER). */
    keyId: Type.String({ pattern: '^[0-9a-f]{16}$' }),
    /** What the file is: 'tariff', 'list/<kind>/full' or 'list/<kind>/delta'. */
    subject: Type.String({ maxLength: 64 }),
    version: Type.String({ maxLength: 32 }),
    /** When the version takes effect (ISO-8601); a list takes effect when published. */
    activateAt: Type.String({ maxLength: 32 }),
    publishedAt: Type.String({ maxLength: 32 }),
    /** sha256 hex of the file's exact bytes. */
    sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }),
    /** base64 signature over the fields above (signedBytes). */
    signature: Type.String({ maxLength: 512 }),
  },
  { additionalProperties: false },
);
export type PublicationSignature = Static<typeof PublicationSignatureSchema>;
const checkEnvelope = Compile(PublicationSignatureSchema);

export type PublicationFields = Pick<
  PublicationSignature,
  'subject' | 'version' | 'activateAt' | 'publishedAt'
>;

export type PublicationErrorCode =
  | 'PUB_UNSIGNED'
  | 'PUB_MALFORMED'
  | 'PUB_ALGORITHM'
  | 'PUB_UNKNOWN_KEY'
  | 'PUB_BAD_SIGNATURE'
  | 'PUB_DIGEST'
  | 'PUB_SUBJECT';

export class PublicationError extends Error {
  constructor(
    readonly code: PublicationErrorCode,
    readonly reason: string,
  ) {
    super(`${code}: ${reason}`);
    this.name = 'PublicationError';
  }
}

/** One signing or verifying key of a scheme. */
export interface SchemeKey {
  readonly alg: SignatureAlgorithm;
  readonly keyId: string;
  readonly key: KeyObject;
}

export function keyIdOf(publicKey: KeyObject): string {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('hex').slice(0, 16);
}

/** The exact bytes signed: a domain tag, then the envelope fields in a fixed order. */
function signedBytes(e: Omit<PublicationSignature, 'signature'>): Buffer {
  return Buffer.from(
    JSON.stringify([
      'tollpad-publication-v1',
      e.alg,
      e.keyId,
      e.subject,
      e.version,
      e.activateAt,
      e.publishedAt,
      e.sha256,
    ]),
  );
}

function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Signs one file as the publisher (`key` is the publisher's private key). */
export function signPublication(
  key: SchemeKey,
  fields: PublicationFields,
  bytes: Uint8Array,
): PublicationSignature {
  if (key.alg !== 'ed25519') throw new Error(`no signer for ${key.alg} in this build`);
  const unsigned = { alg: key.alg, keyId: key.keyId, ...fields, sha256: sha256Hex(bytes) };
  const signature = sign(null, signedBytes(unsigned), key.key).toString('base64');
  return { ...unsigned, signature };
}

/**
 * Verifies a file against its detached signature and the publisher keys trusted here: well-formed
 * envelope, a scheme verified here, a trusted key, the file's digest, the expected subject and version,
 * and the signature itself. Says nothing about times and versions in force (the caller's policy).
 */
export function verifyPublication(
  trusted: readonly SchemeKey[],
  envelope: unknown,
  bytes: Uint8Array,
  expect: { subject: string; version?: string },
): Result<PublicationSignature, PublicationError> {
  if (envelope === undefined || envelope === null)
    return err(new PublicationError('PUB_UNSIGNED', `${expect.subject} 文件没有发布方签名`));
  if (!checkEnvelope.Check(envelope))
    return err(new PublicationError('PUB_MALFORMED', `${expect.subject} 签名格式不正确`));
  const e = envelope;
  if (e.alg !== 'ed25519') return err(new PublicationError('PUB_ALGORITHM', `不支持的签名算法 ${e.alg}`));
  const key = trusted.find((k) => k.keyId === e.keyId && k.alg === e.alg);
  if (!key) return err(new PublicationError('PUB_UNKNOWN_KEY', `签名密钥 ${e.keyId} 不是受信任的发布方`));
  if (e.subject !== expect.subject)
    return err(new PublicationError('PUB_SUBJECT', `签名对象 ${e.subject}，应为 ${expect.subject}`));
  if (expect.version !== undefined && e.version !== expect.version)
    return err(new PublicationError('PUB_SUBJECT', `签名版本 ${e.version}，应为 ${expect.version}`));
  if (sha256Hex(bytes) !== e.sha256)
    return err(new PublicationError('PUB_DIGEST', `${expect.subject} ${e.version} 文件与签名不符`));
  const { signature, ...unsigned } = e;
  const good = verify(null, signedBytes(unsigned), key.key, Buffer.from(signature, 'base64'));
  if (!good) return err(new PublicationError('PUB_BAD_SIGNATURE', `${expect.subject} ${e.version} 签名无效`));
  return ok(e);
}

/** The signature as one HTTP header value (base64url JSON). */
export function encodeSignatureHeader(s: PublicationSignature): string {
  return Buffer.from(JSON.stringify(s)).toString('base64url');
}

/** The header back into an envelope (unknown until verified); undefined when absent or not JSON. */
export function decodeSignatureHeader(value: string | null | undefined): unknown {
  if (!value) return undefined;
  try {
    return JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as unknown;
  } catch {
    return { malformed: true };
  }
}

/** The HTTP header that carries a file's signature. */
export const SIGNATURE_HEADER = 'x-publication-signature';
