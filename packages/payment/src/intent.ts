import { type Refusal, refuse } from './errors';
import { MAX_ATTEMPT, mintPayId, type PayIdResult } from './pay-id';
import { FINAL_NOT_PAID, type PaymentPhase } from './states';

/**
 * A payment intent: one per exit, persisted before the first request. Its pay ID is minted once and its
 * amount is fixed here; every attempt, query, cancel and refund carries both (DESIGN.md §7).
 */
export interface PaymentIntent {
  readonly payId: string;
  readonly exitTradeId: string;
  /** Integer fen, > 0: fixed at the intent, never changed under this pay ID. */
  readonly amountFen: number;
  /** ISO-8601. */
  readonly createdAt: string;
}

export function createIntent(input: {
  laneHex: string;
  exitTradeId: string;
  amountFen: number;
  now: Date;
}): PayIdResult<PaymentIntent> {
  if (!Number.isSafeInteger(input.amountFen) || input.amountFen <= 0) {
    return refuse('PAY_AMOUNT_INVALID', { amount: input.amountFen });
  }
  const payId = mintPayId(input);
  if (!payId.ok) return payId;
  return {
    ok: true,
    value: {
      payId: payId.value,
      exitTradeId: input.exitTradeId,
      amountFen: input.amountFen,
      createdAt: input.now.toISOString(),
    },
  };
}

/** The amount about to be sent must be the intent's: a pay ID is never reused for another amount. */
export function checkAmount(intent: PaymentIntent, amountFen: number): { ok: true } | Refusal {
  if (amountFen !== intent.amountFen) {
    return refuse('PAY_AMOUNT_CHANGED', {
      payId: intent.payId,
      expected: intent.amountFen,
      actual: amountFen,
    });
  }
  return { ok: true };
}

export interface AttemptSummary {
  readonly attempt: number;
  readonly phase: PaymentPhase;
}

/**
 * The next attempt number, or why not: a new attempt opens only after every earlier one reached a final
 * non-paid state (payments.md §5); never after a success (one capture per vehicle).
 */
export function nextAttempt(intent: PaymentIntent, attempts: readonly AttemptSummary[]): PayIdResult<number> {
  if (attempts.some((a) => a.phase === 'succeeded'))
    return refuse('PAY_ALREADY_PAID', { payId: intent.payId });
  const open = attempts.find((a) => !FINAL_NOT_PAID.includes(a.phase));
  if (open) return refuse('PAY_ATTEMPT_OPEN', { attempt: open.attempt, phase: open.phase });
  const next = attempts.reduce((max, a) => Math.max(max, a.attempt), 0) + 1;
  if (next > MAX_ATTEMPT) return refuse('PAY_ATTEMPTS_EXHAUSTED', { attempt: next - 1 });
  return { ok: true, value: next };
}
