import { beijingDate } from '@tollpad/domain';
import type { QrChannel } from './channels';
import { type Refusal, refuse } from './errors';
import type { PaymentPhase } from './states';

/**
 * When a cancel (reverse) or a refund is allowed (payments.md §5). A cancel leaves only from `unpaid`,
 * the state a query answer leads to: an unclear outcome is never cancelled unqueried.
 */
export interface ChannelWindows {
  /** No cancel sooner than this after the pay call (WeChat: 15 s [S web]). */
  readonly cancelMinAfterPayMs: number;
  /** 'days': within n days of the pay call (WeChat 7); 'beijing-day': the pay call's Beijing day, minus a buffer before midnight (Alipay). */
  readonly cancelWindow:
    | { readonly kind: 'days'; readonly days: number }
    | { readonly kind: 'beijing-day'; readonly bufferMinutes: number };
  /** Refunds within n days of payment (WeChat 365 [S web]; Alipay per contract, usually 12 months). */
  readonly refundDays: number;
  /** At most n partial refunds per order (WeChat 50 [S web]). */
  readonly maxRefunds: number;
}

const DAY_MS = 86_400_000;

/** Per channel, configurable. UnionPay and other QR: [P] no source found; the shorter Alipay-like window. */
export const CHANNEL_WINDOWS: Readonly<Record<QrChannel, ChannelWindows>> = {
  WECHAT: {
    cancelMinAfterPayMs: 15_000,
    cancelWindow: { kind: 'days', days: 7 },
    refundDays: 365,
    maxRefunds: 50,
  },
  // [S web antom] same Beijing day with a 15-minute buffer (a copy says 24 h: payments.md §11 keeps the shorter).
  // [P] the 15 s minimum is WeChat's, applied here too.
  ALIPAY: {
    cancelMinAfterPayMs: 15_000,
    cancelWindow: { kind: 'beijing-day', bufferMinutes: 15 },
    refundDays: 365,
    maxRefunds: 50,
  },
  UNIONPAY_QR: {
    cancelMinAfterPayMs: 15_000,
    cancelWindow: { kind: 'beijing-day', bufferMinutes: 15 },
    refundDays: 365,
    maxRefunds: 50,
  },
  OTHER_QR: {
    cancelMinAfterPayMs: 15_000,
    cancelWindow: { kind: 'beijing-day', bufferMinutes: 15 },
    refundDays: 365,
    maxRefunds: 50,
  },
};

/** The epoch ms until which a cancel of a pay call made at `submittedAtMs` is accepted. */
export function cancelDeadlineMs(windows: ChannelWindows, submittedAtMs: number): number {
  const w = windows.cancelWindow;
  if (w.kind === 'days') return submittedAtMs + w.days * DAY_MS;
  // The next Beijing midnight (UTC+8, no DST) after the pay call.
  const day = beijingDate(new Date(submittedAtMs));
  const nextMidnight = Date.parse(`${day}T00:00:00+08:00`) + DAY_MS;
  return nextMidnight - w.bufferMinutes * 60_000;
}

export type CancelVerdict = { readonly ok: true } | (Refusal & { readonly retryAtMs?: number });

export function mayCancel(input: {
  phase: PaymentPhase;
  channel: QrChannel;
  submittedAtMs: number;
  nowMs: number;
  windows?: ChannelWindows;
}): CancelVerdict {
  const { phase, channel } = input;
  if (phase === 'succeeded') return refuse('PAY_CANCEL_AFTER_SUCCESS');
  if (phase === 'submitted' || phase === 'user-paying' || phase === 'unknown') {
    return refuse('PAY_CANCEL_BEFORE_QUERY', { phase });
  }
  if (phase !== 'unpaid' && phase !== 'cancelling') {
    return refuse('PAY_TRANSITION_REFUSED', { phase, event: 'cancel-sent' });
  }
  const windows = input.windows ?? CHANNEL_WINDOWS[channel];
  const earliest = input.submittedAtMs + windows.cancelMinAfterPayMs;
  if (input.nowMs < earliest) {
    return {
      ...refuse('PAY_CANCEL_TOO_EARLY', { minSeconds: windows.cancelMinAfterPayMs / 1000 }),
      retryAtMs: earliest,
    };
  }
  if (input.nowMs > cancelDeadlineMs(windows, input.submittedAtMs)) {
    return refuse('PAY_CANCEL_WINDOW_CLOSED', { channel });
  }
  return { ok: true };
}

export interface RefundSoFar {
  readonly amountFen: number;
  /**
   * In-flight and unclear refunds count as given: the money may already be on its way back; so does a
   * conflict (the platform's answer contradicts the refund) until a person has looked.
   */
  readonly state: 'requested' | 'unknown' | 'refunded' | 'refused' | 'conflict';
}

export function mayRefund(input: {
  phase: PaymentPhase;
  channel: QrChannel;
  paidFen: number;
  paidAtMs: number;
  nowMs: number;
  amountFen: number;
  refunds: readonly RefundSoFar[];
  /** [P] payments.md §5: a refund needs a reason and a supervisor; never automatic at the lane. */
  reason: string;
  supervisorId: string;
  windows?: ChannelWindows;
}): { ok: true; leftAfterFen: number } | Refusal {
  if (input.phase !== 'succeeded') return refuse('PAY_REFUND_NOT_PAID');
  if (input.reason.trim() === '' || input.supervisorId.trim() === '')
    return refuse('PAY_REFUND_REASON_REQUIRED');
  const windows = input.windows ?? CHANNEL_WINDOWS[input.channel];
  if (!Number.isSafeInteger(input.amountFen) || input.amountFen <= 0) {
    return refuse('PAY_AMOUNT_INVALID', { amount: input.amountFen });
  }
  const live = input.refunds.filter((r) => r.state !== 'refused');
  const left = input.paidFen - live.reduce((sum, r) => sum + r.amountFen, 0);
  if (input.amountFen > left) return refuse('PAY_REFUND_EXCEEDS', { amount: input.amountFen, left });
  if (live.length >= windows.maxRefunds) return refuse('PAY_REFUND_TOO_MANY', { max: windows.maxRefunds });
  if (input.nowMs > input.paidAtMs + windows.refundDays * DAY_MS) {
    return refuse('PAY_REFUND_WINDOW_CLOSED', { days: windows.refundDays, channel: input.channel });
  }
  return { ok: true, leftAfterFen: left - input.amountFen };
}
