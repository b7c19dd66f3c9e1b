import { describe, expect, it } from 'vitest';
import { CHANNEL_WINDOWS, cancelDeadlineMs, mayCancel, mayRefund } from './cancel-rules';
import type { PaymentPhase } from './states';

const PAY = Date.parse('2024-01-17T07:20:00Z'); // 15:20 Beijing
const verdict = (phase: PaymentPhase, channel: 'WECHAT' | 'ALIPAY', nowMs: number) => {
  const r = mayCancel({ phase, channel, submittedAtMs: PAY, nowMs });
  return r.ok ? 'ok' : r.error.code;
};

describe('mayCancel', () => {
  it('safeguard query-before-cancel: only from unpaid (after a query) or a cancel already out', () => {
    expect(verdict('unpaid', 'WECHAT', PAY + 20_000)).toBe('ok');
    expect(verdict('cancelling', 'WECHAT', PAY + 20_000)).toBe('ok');
    for (const phase of ['submitted', 'user-paying', 'unknown'] as const) {
      expect(verdict(phase, 'WECHAT', PAY + 20_000)).toBe('PAY_CANCEL_BEFORE_QUERY');
    }
    expect(verdict('succeeded', 'WECHAT', PAY + 20_000)).toBe('PAY_CANCEL_AFTER_SUCCESS');
    expect(verdict('failed', 'WECHAT', PAY + 20_000)).toBe('PAY_TRANSITION_REFUSED');
  });

  it('not sooner than 15 s after the pay call, saying when to retry', () => {
    const r = mayCancel({ phase: 'unpaid', channel: 'WECHAT', submittedAtMs: PAY, nowMs: PAY + 14_999 });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('PAY_CANCEL_TOO_EARLY');
      expect('retryAtMs' in r && r.retryAtMs).toBe(PAY + 15_000);
    }
  });

  it('WeChat: within 7 days; Alipay: the pay call’s Beijing day, 15 min before midnight', () => {
    expect(verdict('unpaid', 'WECHAT', PAY + 7 * 86_400_000)).toBe('ok');
    expect(verdict('unpaid', 'WECHAT', PAY + 7 * 86_400_000 + 1)).toBe('PAY_CANCEL_WINDOW_CLOSED');
    const alipayEnd = Date.parse('2024-01-17T23:45:00+08:00');
    expect(cancelDeadlineMs(CHANNEL_WINDOWS.ALIPAY, PAY)).toBe(alipayEnd);
    expect(verdict('unpaid', 'ALIPAY', alipayEnd)).toBe('ok');
    expect(verdict('unpaid', 'ALIPAY', alipayEnd + 1)).toBe('PAY_CANCEL_WINDOW_CLOSED');
  });

  it('windows are configurable per call', () => {
    const r = mayCancel({
      phase: 'unpaid',
      channel: 'WECHAT',
      submittedAtMs: PAY,
      nowMs: PAY + 2 * 86_400_000,
      windows: { ...CHANNEL_WINDOWS.WECHAT, cancelWindow: { kind: 'days', days: 1 } },
    });
    expect(r.ok || r.error.code).toBe('PAY_CANCEL_WINDOW_CLOSED');
  });
});

describe('mayRefund', () => {
  const base = {
    phase: 'succeeded' as PaymentPhase,
    channel: 'WECHAT' as const,
    paidFen: 3500,
    paidAtMs: PAY,
    nowMs: PAY + 86_400_000,
    amountFen: 1000,
    refunds: [],
    reason: 'TEST 重复支付',
    supervisorId: 'TEST-M1',
  };
  const code = (over: Partial<Parameters<typeof mayRefund>[0]>) => {
    const r = mayRefund({ ...base, ...over });
    return r.ok ? r.leftAfterFen : r.error.code;
  };

  it('partial and total refunds up to the paid amount; in-flight refunds count as given', () => {
    expect(code({})).toBe(2500);
    expect(code({ amountFen: 3500 })).toBe(0);
    expect(code({ amountFen: 2600, refunds: [{ amountFen: 1000, state: 'unknown' }] })).toBe(
      'PAY_REFUND_EXCEEDS',
    );
    expect(code({ amountFen: 3500, refunds: [{ amountFen: 1000, state: 'refused' }] })).toBe(0);
  });

  it('refuses without success, reason or supervisor, past 50 refunds or 365 days', () => {
    expect(code({ phase: 'failed' })).toBe('PAY_REFUND_NOT_PAID');
    expect(code({ reason: ' ' })).toBe('PAY_REFUND_REASON_REQUIRED');
    expect(code({ supervisorId: '' })).toBe('PAY_REFUND_REASON_REQUIRED');
    expect(
      code({
        amountFen: 1,
        refunds: Array.from({ length: 50 }, () => ({ amountFen: 1, state: 'refunded' as const })),
      }),
    ).toBe('PAY_REFUND_TOO_MANY');
    expect(code({ nowMs: PAY + 366 * 86_400_000 })).toBe('PAY_REFUND_WINDOW_CLOSED');
    expect(code({ amountFen: 0 })).toBe('PAY_AMOUNT_INVALID');
  });
});
