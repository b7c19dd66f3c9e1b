import { describe, expect, it } from 'vitest';
import { generatePublisherKeyPair, publisherSigningKey, publisherVerifyingKeys } from './keys';
import {
  decodeSignatureHeader,
  encodeSignatureHeader,
  signPublication,
  verifyPublication,
} from './signature';

// TEST publisher keys, made for this test run only.
const TEST_PUBLISHER = generatePublisherKeyPair();
const TEST_STRANGER = generatePublisherKeyPair();
const signer = publisherSigningKey(TEST_PUBLISHER.privatePem);
const trusted = publisherVerifyingKeys(TEST_PUBLISHER.publicPem);
const file = new TextEncoder().encode('{"type":"header","version":"T1"}\n');
const fields = {
  subject: 'tariff',
  version: 'T1',
  activateAt: '2026-12-01T00:00:00.000Z',
  publishedAt: '2026-11-23T08:00:00.000Z',
};

describe('publication signatures (Ed25519)', () => {
  it('verifies what the publisher signed, through the HTTP header form', () => {
    const s = signPublication(signer, fields, file);
    expect(s.alg).toBe('ed25519');
    const r = verifyPublication(trusted, decodeSignatureHeader(encodeSignatureHeader(s)), file, {
      subject: 'tariff',
      version: 'T1',
    });
    expect(r.ok && r.value.activateAt).toBe(fields.activateAt);
  });

  it('refuses an unsigned file, a stranger’s key, a changed file, a changed field and an unknown scheme', () => {
    const code = (env: unknown, bytes = file) => {
      const r = verifyPublication(trusted, env, bytes, { subject: 'tariff', version: 'T1' });
      return r.ok ? 'ok' : r.error.code;
    };
    expect(code(undefined)).toBe('PUB_UNSIGNED');
    expect(code(decodeSignatureHeader('not-base64-json'))).toBe('PUB_MALFORMED');
    const stranger = signPublication(publisherSigningKey(TEST_STRANGER.privatePem), fields, file);
    expect(code(stranger)).toBe('PUB_UNKNOWN_KEY');
    // The stranger's signature under the trusted key's ID still fails the signature check.
    const good = signPublication(signer, fields, file);
    expect(code({ ...stranger, keyId: good.keyId })).toBe('PUB_BAD_SIGNATURE');
    expect(code(good, new TextEncoder().encode('{"type":"header","version":"T2"}\n'))).toBe('PUB_DIGEST');
    expect(code({ ...good, activateAt: '2000-01-01T00:00:00.000Z' })).toBe('PUB_BAD_SIGNATURE');
    expect(code({ ...good, version: 'T0' })).toBe('PUB_SUBJECT');
    expect(code({ ...good, alg: 'sm2-sm3' })).toBe('PUB_ALGORITHM');
    expect(code({ ...good, subject: 'list/card/full' })).toBe('PUB_SUBJECT');
  });
});
