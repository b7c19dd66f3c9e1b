import type { PaymentStatus } from '@tollpad/station-api';

/**
 * The payment step of a CPC exit after 【算费】 (payments.md §2, §4, §6): what the collector typed or scanned,
 * turned into what the station is asked, and the station's payment status turned into what the screen says
 * and allows. Pure: the screen (ui/cpc-pay.ts) and the flow (cpc-close.ts) hold no rules of their own.
 */

/**
 * 【扫码支付】, 【现金】 or 【ETC卡支付】 (the driver's own ETC card, payment only); `free` 【免费放行】 for a fee of 0
 * (a passed 绿通查验…): nothing is taken.
 */
export type PayMethod = 'qr' | 'cash' | 'etc-card' | 'free';

/**
 * The tendered amount as typed, in yuan ("100", "100.5", "100.50"), to fen; null when it is not an amount.
 * Non-ETC fees are whole yuan (payments.md §6), but a collector may type the jiao a customer handed over.
 */
export function parseTendered(text: string): number | null {
  const m = /^\s*(\d{1,7})(?:\.(\d{1,2}))?\s*$/.exec(text);
  if (!m) return null;
  const [, yuan = '0', jiao = ''] = m;
  return Number(yuan) * 100 + Number(jiao.padEnd(2, '0'));
}

/** The change for a tendered amount (fen), or null when the customer gave less than is due (the station refuses). */
export function changeFor(amount: number, tendered: number): number | null {
  return tendered >= amount ? tendered - amount : null;
}

/**
 * A 付款码 as a hardware scanner or the camera gave it: scanners add a prefix/suffix or spaces, some send
 * the digits in groups. Only digits go to the station, which classifies the channel (never rejected here for
 * its prefix or length alone, payments.md §2 [P]); the wire takes 10–32 digits (station-api payments.ts).
 */
export function scannedAuthCode(raw: string): string | null {
  const digits = raw.replace(/[\s-]/g, '');
  return /^\d{10,32}$/.test(digits) ? digits : null;
}

/** How the screen shows one payment status. */
export interface PaymentView {
  tone: 'wait' | 'ok' | 'fail';
  /** Plain Chinese: the station's progress line, or what to do after a not-paid end. */
  text: string;
  /** Paid: the card write and the commit follow. */
  paid: boolean;
  /** The collector may stop waiting (the station queries, then cancels). */
  canStop: boolean;
  /** Ended not paid: another code (same pay ID and amount) or cash may follow. */
  canRetry: boolean;
}

/** Phases that cannot take money any more (packages/payment states.ts: final and not paid). */
const NOT_PAID_FINAL: readonly PaymentStatus['phase'][] = ['failed', 'cancelled', 'reversed'];

export function paymentView(s: PaymentStatus): PaymentView {
  if (s.phase === 'succeeded')
    return { tone: 'ok', text: s.message || '支付成功', paid: true, canStop: false, canRetry: false };
  if (s.final && NOT_PAID_FINAL.includes(s.phase)) {
    return {
      tone: 'fail',
      text: s.message || '支付未成功，请让顾客换一个付款码或改用现金',
      paid: false,
      canStop: false,
      canRetry: true,
    };
  }
  // In flight, or unclear (pending): the station keeps querying; the barrier stays down.
  return {
    tone: 'wait',
    text: s.message || (s.pending ? '支付结果确认中，请稍候，勿重复收费' : '支付处理中，请稍候'),
    paid: false,
    canStop: s.phase === 'user-paying' || s.phase === 'submitted' || s.phase === 'unknown',
    canRetry: false,
  };
}
