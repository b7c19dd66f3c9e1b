import { describe, expect, it } from 'vitest';
import { classifyAuthCode, nationalPayTypeOf, PAYMENT_METHODS } from './channels';

const code = (scanned: string, options = {}) => {
  const r = classifyAuthCode(scanned, options);
  return r.ok ? r.value.channel : r.error.code;
};

describe('classifyAuthCode', () => {
  it('recognises WeChat (18 digits, 10–15), Alipay (16–24, 25–30) and UnionPay (62…) codes', () => {
    expect(code('134567890123456789')).toBe('WECHAT');
    expect(code('104567890123456789')).toBe('WECHAT');
    expect(code('2812345678901234')).toBe('ALIPAY');
    expect(code('301234567890123456789012')).toBe('ALIPAY');
    expect(code('6212345678901234567')).toBe('UNIONPAY_QR');
  });

  it('trims what a hardware scanner adds (line end, spaces)', () => {
    expect(code(' 134567890123456789\r\n')).toBe('WECHAT');
  });

  it('an unknown prefix of a plausible length goes on as OTHER_QR (payments.md §2)', () => {
    expect(code('912345678901234567')).toBe('OTHER_QR');
  });

  it('refuses garbled scans with PAY_CODE_GARBLED', () => {
    expect(code('13456789O123456789')).toBe('PAY_CODE_GARBLED');
    expect(code('')).toBe('PAY_CODE_GARBLED');
    expect(code('1345 6789 0123')).toBe('PAY_CODE_GARBLED');
  });

  it('refuses links and structured QR content, and channels not accepted, with PAY_CODE_FOREIGN', () => {
    expect(code('https://qr.example.test/abc')).toBe('PAY_CODE_FOREIGN');
    expect(code('{"passId":"TEST"}')).toBe('PAY_CODE_FOREIGN');
    expect(code('6212345678901234567', { accepted: ['WECHAT', 'ALIPAY'] })).toBe('PAY_CODE_FOREIGN');
    expect(code('912345678901234567', { accepted: ['WECHAT'] })).toBe('PAY_CODE_FOREIGN');
  });

  it('refuses digits no channel could own with PAY_CODE_WRONG_LENGTH (a cut or doubled scan)', () => {
    expect(code('1345678901')).toBe('PAY_CODE_WRONG_LENGTH');
    expect(code('134567890123456789134567890123456789')).toBe('PAY_CODE_WRONG_LENGTH');
  });

  it('a known prefix of an unusual length is forwarded and flagged, or refused under the strict policy', () => {
    const r = classifyAuthCode('1345678901234567890');
    expect(r.ok && r.value).toEqual({ code: '1345678901234567890', channel: 'WECHAT', lengthUnusual: true });
    expect(code('1345678901234567890', { lengthPolicy: 'strict' })).toBe('PAY_CODE_WRONG_LENGTH');
  });
});

describe('nationalPayTypeOf', () => {
  it('maps the internal methods to the national payType (payments.md §1), never 5', () => {
    expect(PAYMENT_METHODS.map(nationalPayTypeOf)).toEqual([1, 7, 6, 2, 3, 2, 4, 2]);
  });
});
