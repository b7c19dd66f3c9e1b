import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PAYMENT_ERRORS, PaymentError, paymentErrorMessage } from './errors';

describe('payment error catalogue', () => {
  it('every code has a Chinese message and an English text', () => {
    for (const [code, m] of Object.entries(PAYMENT_ERRORS)) {
      expect(code).toMatch(/^PAY_[A-Z_]+$/);
      expect(m.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(m.en).toMatch(/[a-z]/);
    }
  });

  it('fills the params into both texts', () => {
    const e = new PaymentError('PAY_AMOUNT_CHANGED', { payId: 'TPX', expected: 3500, actual: 3600 });
    expect(e.messageZh).toBe('支付金额与算费金额不一致（应付3500分，本次3600分），请重新算费后支付');
    expect(e.message).toBe('pay ID TPX is fixed at 3500 fen, refused 3600');
    expect(paymentErrorMessage('PAY_CODE_WRONG_LENGTH', 'zh')).toContain('{length}');
  });

  it('is documented in ERRORS.md, code for code, with the same Chinese message', () => {
    const doc = readFileSync(new URL('../ERRORS.md', import.meta.url), 'utf8');
    const rows = [...doc.matchAll(/^\| `(PAY_[A-Z_]+)` \| (.+?) \|/gm)].map((m) => [m[1], m[2]]);
    expect(rows).toEqual(Object.entries(PAYMENT_ERRORS).map(([code, m]) => [code, m.zh]));
  });
});
