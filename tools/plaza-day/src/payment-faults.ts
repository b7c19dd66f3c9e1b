import type { FaultKind, FaultLog } from './fault-log';
import type { Payer } from './handheld-payment';
import type { MediumId } from './mix';
import type { PlazaDayOptions } from './options';
import { faultPositions } from './plan';
import type { Prng } from './prng';

/**
 * The payment faults of a mixed day (issue #23): each kind's count spread over the day at seeded points (in
 * vehicles issued, as the process faults are); the first vehicle from that point on that can meet it (one that
 * pays at the handheld — by a QR code that would simply pay, for the platform's faults) takes it. Vehicles are
 * issued in index order, so the seed fixes which vehicle meets which fault.
 */
export const PAYMENT_FAULT_KINDS = [
  'pay-lost-answer',
  'password-wait',
  'platform-outage',
  'platform-slow',
  'station-kill-in-payment',
  'handheld-restart-in-payment',
] as const satisfies readonly FaultKind[];
export type PaymentFaultKind = (typeof PAYMENT_FAULT_KINDS)[number];

export interface PaymentFault {
  kind: PaymentFaultKind;
  /** password-wait: how the driver's wait ends. */
  outcome?: 'paid' | 'abandon';
  /** password-wait: the station's queries before it ends. */
  polls?: number;
  /** platform-slow: how late the platform answers (past the station's timeout or not). */
  delayMs?: number;
}

/** The option giving each kind's count. */
export const PAYMENT_FAULT_OPTION: Record<PaymentFaultKind, keyof PlazaDayOptions> = {
  'pay-lost-answer': 'payLostAnswers',
  'password-wait': 'passwordWaits',
  'platform-outage': 'platformOutages',
  'platform-slow': 'platformSlow',
  'station-kill-in-payment': 'stationKillsInPayment',
  'handheld-restart-in-payment': 'handheldRestartsInPayment',
};

/** The kinds that need the platform (a QR payment); a handheld restart may come during a cash payment too. */
const NEEDS_QR: ReadonlySet<PaymentFaultKind> = new Set([
  'pay-lost-answer',
  'password-wait',
  'platform-outage',
  'platform-slow',
  'station-kill-in-payment',
]);

/** [P] the station's PAYGATE_TIMEOUT_MS on a plaza day (apps-under-test.ts): a slow answer is past it or not. */
export const DAY_PAYGATE_TIMEOUT_MS = 4_000;

export class PaymentFaultPlan {
  private readonly due: { kind: PaymentFaultKind; at: number }[] = [];

  constructor(
    o: PlazaDayOptions,
    private readonly root: Prng,
  ) {
    for (const [k, kind] of PAYMENT_FAULT_KINDS.entries()) {
      const count = o[PAYMENT_FAULT_OPTION[kind]] as number;
      for (const at of faultPositions(count, o.exits, root.fork(0x9a7_000 + k))) this.due.push({ kind, at });
    }
    this.due.sort(
      (a, b) => a.at - b.at || PAYMENT_FAULT_KINDS.indexOf(a.kind) - PAYMENT_FAULT_KINDS.indexOf(b.kind),
    );
  }

  /** Faults not yet given to a vehicle. */
  get pending(): number {
    return this.due.length;
  }

  /**
   * The fault vehicle `index` meets at its payment, if any: the earliest due fault it can meet. Only CPC and
   * no-card vehicles take one (a green truck may exit free; an arrears plate pays twice).
   */
  take(index: number, medium: MediumId, payer: Payer): PaymentFault | null {
    if (medium !== 'cpc' && medium !== 'none') return null;
    // 主扫 and the driver's ETC card take none: the faults are the 被扫 code's and the cash intent's.
    if (payer.channel === 'qr-shown' || payer.channel === 'etc-card') return null;
    const qr = payer.channel !== 'cash' && payer.qr === 'paid';
    const i = this.due.findIndex((d) => d.at <= index && (qr || !NEEDS_QR.has(d.kind)));
    if (i < 0) return null;
    const [d] = this.due.splice(i, 1);
    return faultOf(d!.kind, this.root.fork(0x9a8_000 + index));
  }
}

/** The fault's particulars, drawn from the vehicle's own stream. */
export function faultOf(kind: PaymentFaultKind, rng: Prng): PaymentFault {
  if (kind === 'password-wait')
    return { kind, outcome: rng.chance(0.7) ? 'paid' : 'abandon', polls: rng.int(1, 3) };
  if (kind === 'platform-slow')
    return { kind, delayMs: rng.chance(0.5) ? DAY_PAYGATE_TIMEOUT_MS + 2_000 : DAY_PAYGATE_TIMEOUT_MS / 2 };
  return { kind };
}

/** The platform's TEST fault (apps/paygate faults.ts) that stands for a payment fault, on the driver's code. */
export function platformFaultOf(f: PaymentFault, authCode: string): Record<string, unknown> | null {
  switch (f.kind) {
    case 'pay-lost-answer':
      return { kind: 'lost-after-capture', authCode, times: 1 };
    case 'password-wait':
      return { kind: 'password', authCode, polls: f.polls ?? 2, outcome: f.outcome ?? 'paid' };
    case 'platform-outage':
      return { kind: 'outage-503', authCode, times: 1 };
    case 'platform-slow':
      return { kind: 'delay', authCode, delayMs: f.delayMs ?? 2_000, times: 1 };
    case 'station-kill-in-payment':
      // The platform captures at once and answers late: the pay request is in flight when the station dies.
      return { kind: 'delay', authCode, delayMs: 3_000, times: 1 };
    case 'handheld-restart-in-payment':
      return null;
  }
}

/** What the handheld's payment does with a fault: the platform armed, the station killed, the handheld restarted. */
export interface PaymentFaultHooks {
  faults: FaultLog;
  /** POST /test/faults at the platform. */
  platformFault(input: Record<string, unknown>): Promise<void>;
  /** SIGKILL of the station and its restart (one at a time with the day's other kills). */
  killStation(): Promise<void>;
}

/** How a payment with a fault ended, in the fault log's words. */
export function recoveryOf(
  f: PaymentFault,
  first: { phase: string; reason: string | null } | null,
  paidBy: string,
  attempts: number,
): string {
  const firstEnd = first ? `${first.phase}${first.reason ? ` (${first.reason})` : ''}` : 'not followed';
  if (attempts === 1) {
    switch (f.kind) {
      case 'pay-lost-answer':
        return 'answer lost after capture: the station queried, paid once';
      case 'password-wait':
        return 'password typed: paid after the wait';
      case 'platform-slow':
        return first?.reason === 'timeout'
          ? `answer ${f.delayMs} ms late, past the station’s timeout: unknown, the query found the capture`
          : `answer ${f.delayMs} ms late: paid`;
      case 'station-kill-in-payment':
        return 'station restarted with the payment in flight: resumed, paid once';
      case 'handheld-restart-in-payment':
        return `handheld restarted after the intent: resumed from the station, paid (${paidBy === 'cash' ? 'cash' : 'QR'})`;
      case 'platform-outage':
        return `paid on the first attempt (${firstEnd})`;
    }
  }
  return `first attempt ${firstEnd} → paid by ${paidBy} (attempt ${attempts})`;
}
