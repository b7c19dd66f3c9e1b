import { describe, expect, it } from 'vitest';
import { loadConfig } from './config';

describe('the CPC settings', () => {
  it('take the issuer areas and the write-failed special as given', () => {
    const c = loadConfig({ CPC_VALID_AREAS: 'b8cacbe0, C9BDB6AB', CPC_WRITE_FAILED_SPECIAL: '187' });
    expect(c.cpcValidAreas).toEqual(['B8CACBE0', 'C9BDB6AB']);
    expect(c.cpcWriteFailedSpecial).toBe(187);
    expect(loadConfig({}).cpcValidAreas).toEqual([]);
  });

  it('refuse a mistyped area list rather than accept every area', () => {
    expect(() => loadConfig({ CPC_VALID_AREAS: 'B8CACBE' })).toThrow(/CPC_VALID_AREAS/);
  });

  it('refuse a write-failed special the record cannot hold (specialType has 1–3 digits)', () => {
    for (const v of ['1523', '0', '-1', 'x']) {
      expect(() => loadConfig({ CPC_WRITE_FAILED_SPECIAL: v })).toThrow(/CPC_WRITE_FAILED_SPECIAL/);
    }
  });
});

describe('the payment platform', () => {
  const merchant = { PAYGATE_MERCHANT_ID: 'TEST-M1', PAYGATE_MERCHANT_KEY: 'k'.repeat(32) };

  it('is reached over HTTPS, or plain HTTP on this machine only', () => {
    for (const url of ['https://paygate.example:8443', 'http://127.0.0.1:9000', 'http://localhost:9000']) {
      expect(loadConfig({ PAYGATE_URL: url, ...merchant }).paygate?.url).toBe(url);
    }
  });

  it('refuses plain HTTP to another machine: the payment codes and refunds would cross the network readable', () => {
    for (const url of ['http://paygate.example:8080', 'http://10.0.0.5', 'http://127.0.0.1.example.com']) {
      expect(() => loadConfig({ PAYGATE_URL: url, ...merchant }), url).toThrow(/plain HTTP/);
    }
  });
});
