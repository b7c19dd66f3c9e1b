import { describe, expect, it } from 'vitest';
import { TEST_MERCHANTS } from '../fixtures/test-merchants';
import type { Merchant } from '../merchants';
import { canonicalRequest, signRequest, verifyRequest } from './signature';

const merchant = TEST_MERCHANTS[0] as Merchant;
const parts = {
  method: 'post',
  path: '/v1/micropay',
  merchantId: 'TESTMCH0001',
  timestamp: 1796522400,
  nonce: 'TESTnonce0000000001',
  body: '{"amount":1}',
};

describe('merchant request signature', () => {
  it('the canonical string is the seven documented lines', () => {
    expect(canonicalRequest(parts).split('\n')).toEqual([
      'PAYGATE-HMAC-SHA256',
      'POST',
      '/v1/micropay',
      'TESTMCH0001',
      '1796522400',
      'TESTnonce0000000001',
      'c2b11e657e12fd177359627ca89412018e2274d0873cfbfcf1fc50f685582e9e',
    ]);
  });

  it('matches a vector computed with openssl (for another implementation to check against)', () => {
    // printf '<canonical>' | openssl dgst -sha256 -hmac 'TEST-paygate-merchant-key-0001-not-secret' -hex
    expect(signRequest(merchant.key, parts)['x-paygate-signature']).toBe(
      '3e6eb9236f9f4fae043deaf784800832071776b009a6b23327cb6feddeb01073',
    );
  });

  it('verifies only the exact parts, in constant time, and refuses a malformed signature', () => {
    const signature = signRequest(merchant.key, parts)['x-paygate-signature'] ?? '';
    expect(verifyRequest(merchant.key, parts, signature)).toBe(true);
    for (const changed of [
      { ...parts, body: '{"amount":2}' },
      { ...parts, nonce: 'TESTnonce0000000002' },
      { ...parts, timestamp: parts.timestamp + 1 },
      { ...parts, path: '/v1/precreate' },
      { ...parts, merchantId: 'TESTMCH0002' },
      { ...parts, method: 'GET' },
    ]) {
      expect(verifyRequest(merchant.key, changed, signature)).toBe(false);
    }
    expect(verifyRequest(merchant.key, parts, signature.toUpperCase())).toBe(false);
    expect(verifyRequest(merchant.key, parts, signature.slice(2))).toBe(false);
  });
});
