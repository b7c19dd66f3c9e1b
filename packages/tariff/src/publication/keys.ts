import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { keyIdOf, type SchemeKey } from './signature';

/** The publisher's signing key from a PKCS#8 PEM (Ed25519). Held by the publisher only. */
export function publisherSigningKey(privatePem: string): SchemeKey {
  const key = createPrivateKey(privatePem);
  if (key.asymmetricKeyType !== 'ed25519')
    throw new Error(`publisher key must be Ed25519, got ${key.asymmetricKeyType ?? 'unknown'}`);
  return { alg: 'ed25519', keyId: keyIdOf(createPublicKey(key)), key };
}

/** A publisher verifying key from an SPKI PEM (what a station is configured with). */
export function publisherVerifyingKey(publicPem: string): SchemeKey {
  const key = createPublicKey(publicPem);
  if (key.asymmetricKeyType !== 'ed25519')
    throw new Error(`publisher public key must be Ed25519, got ${key.asymmetricKeyType ?? 'unknown'}`);
  return { alg: 'ed25519', keyId: keyIdOf(key), key };
}

/** Every public key in a PEM bundle (a station may trust an old and a new publisher key while rolling). */
export function publisherVerifyingKeys(bundlePem: string): SchemeKey[] {
  const blocks = bundlePem.match(/-----BEGIN PUBLIC KEY-----[\s\S]*?-----END PUBLIC KEY-----/g) ?? [];
  return blocks.map(publisherVerifyingKey);
}

/** A fresh Ed25519 key pair as PEM: the demo's and tests' TEST publisher keys are made with this. */
export function generatePublisherKeyPair(): { privatePem: string; publicPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}
