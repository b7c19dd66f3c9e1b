import { describe, expect, it } from 'vitest';
import { checkAmount, createIntent, nextAttempt } from './intent';
import { MAX_ATTEMPT } from './pay-id';
import { TEST_EXIT_TRADE_ID, TEST_LANE_HEX, testIntent } from './testing/harness';

describe('payment intent', () => {
  it('fixes the pay ID and the amount at creation', () => {
    const r = createIntent({
      laneHex: TEST_LANE_HEX,
      exitTradeId: TEST_EXIT_TRADE_ID,
      amountFen: 3500,
      now: new Date('2024-01-17T07:20:00Z'),
    });
    expect(r).toEqual({
      ok: true,
      value: {
        payId: 'TP370124435B2024011715322746',
        exitTradeId: TEST_EXIT_TRADE_ID,
        amountFen: 3500,
        createdAt: '2024-01-17T07:20:00.000Z',
      },
    });
  });

  it('refuses a zero, negative or fractional amount', () => {
    for (const amountFen of [0, -100, 12.5]) {
      const r = createIntent({
        laneHex: TEST_LANE_HEX,
        exitTradeId: TEST_EXIT_TRADE_ID,
        amountFen,
        now: new Date(),
      });
      expect(r.ok || r.error.code).toBe('PAY_AMOUNT_INVALID');
    }
  });

  it('checkAmount refuses another amount under the same pay ID, in Chinese with both amounts', () => {
    const intent = testIntent(3500);
    expect(checkAmount(intent, 3500)).toEqual({ ok: true });
    const r = checkAmount(intent, 3600);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('PAY_AMOUNT_CHANGED');
      expect(r.error.messageZh).toContain('3500');
      expect(r.error.messageZh).toContain('3600');
    }
  });
});

describe('nextAttempt', () => {
  const intent = testIntent();
  const code = (r: ReturnType<typeof nextAttempt>) => (r.ok ? r.value : r.error.code);

  it('opens 1 first, then the next after final non-paid attempts', () => {
    expect(code(nextAttempt(intent, []))).toBe(1);
    expect(
      code(
        nextAttempt(intent, [
          { attempt: 1, phase: 'failed' },
          { attempt: 2, phase: 'cancelled' },
          { attempt: 3, phase: 'reversed' },
        ]),
      ),
    ).toBe(4);
  });

  it('refuses while an attempt is open (unknown, polling, cancelling…) and after a success', () => {
    for (const phase of ['intent', 'submitted', 'user-paying', 'unknown', 'unpaid', 'cancelling'] as const) {
      expect(code(nextAttempt(intent, [{ attempt: 1, phase }]))).toBe('PAY_ATTEMPT_OPEN');
    }
    expect(code(nextAttempt(intent, [{ attempt: 1, phase: 'succeeded' }]))).toBe('PAY_ALREADY_PAID');
  });

  it('refuses past the last attempt number', () => {
    expect(code(nextAttempt(intent, [{ attempt: MAX_ATTEMPT, phase: 'failed' }]))).toBe(
      'PAY_ATTEMPTS_EXHAUSTED',
    );
  });
});
