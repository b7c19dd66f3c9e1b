import { isLaneHex, parseExitTradeId } from '@tollpad/domain';
import { type Refusal, refuse } from './errors';

/**
 * The pay ID: minted once per payment intent, before the first request, and the idempotency key of every
 * retry, query, cancel and refund (DESIGN.md §7). [P] payments.md §5: `TP` + lane HEX (10 = station HEX 8
 * + lane 2) + the exit trade ID's batch `YYYYMMDDHH` (10) + its in-batch serial (6) = 28 characters, so a
 * pay ID points back to its exit and the same exit always yields the same pay ID (a restart cannot mint
 * another). Each attempt's out-trade-no is `<payId>-<n>` (≤ 31, under WeChat's 32).
 */
export const PAY_ID_LENGTH = 28;
/** [P] bounded by the out-trade-no length: `-99` keeps it at 31 characters. */
export const MAX_ATTEMPT = 99;
/** WeChat `out_trade_no` is at most 32 characters (payments.md §5 [S web]). */
export const OUT_TRADE_NO_MAX = 32;

const PAY_ID_RE = /^TP([0-9]{2}[0-9A-F]{8})(\d{10})(\d{6})$/;
const OUT_TRADE_NO_RE = /^(TP[0-9A-F]{10}\d{16})-([1-9]\d?)$/;

export interface PayIdParts {
  readonly payId: string;
  readonly laneHex: string;
  /** The exit trade ID's batch, YYYYMMDDHH (Beijing). */
  readonly batch: string;
  readonly serial: number;
}

export type PayIdResult<T> = { readonly ok: true; readonly value: T } | Refusal;

/** Mints the pay ID of an exit from its lane HEX and 37-character exit trade ID. */
export function mintPayId(input: { laneHex: string; exitTradeId: string }): PayIdResult<string> {
  if (!isLaneHex(input.laneHex)) return refuse('PAY_ID_INVALID', { reason: `车道HEX“${input.laneHex}”` });
  const trade = parseExitTradeId(input.exitTradeId);
  if (!trade.ok) return refuse('PAY_ID_INVALID', { reason: trade.error.reason });
  const payId = `TP${input.laneHex}${trade.value.batch}${String(trade.value.serial).padStart(6, '0')}`;
  return { ok: true, value: payId };
}

export function parsePayId(text: string): PayIdResult<PayIdParts> {
  const m = PAY_ID_RE.exec(text);
  if (!m) return refuse('PAY_ID_INVALID', { reason: `“${text}”不是${PAY_ID_LENGTH}位支付单号` });
  return { ok: true, value: { payId: text, laneHex: m[1]!, batch: m[2]!, serial: Number(m[3]) } };
}

/** The out-trade-no of attempt `attempt` (1..MAX_ATTEMPT); a resend of the same attempt reuses it. */
export function outTradeNo(payId: string, attempt: number): PayIdResult<string> {
  const parsed = parsePayId(payId);
  if (!parsed.ok) return parsed;
  if (!Number.isInteger(attempt) || attempt < 1 || attempt > MAX_ATTEMPT) {
    return refuse('PAY_ATTEMPTS_EXHAUSTED', { attempt });
  }
  return { ok: true, value: `${payId}-${attempt}` };
}

export function parseOutTradeNo(text: string): PayIdResult<{ payId: string; attempt: number }> {
  const m = OUT_TRADE_NO_RE.exec(text);
  if (!m || !parsePayId(m[1]!).ok) return refuse('PAY_ID_INVALID', { reason: `“${text}”不是本站商户单号` });
  return { ok: true, value: { payId: m[1]!, attempt: Number(m[2]) } };
}

/** [P] refund numbers stay well within the 64 characters WeChat out_refund_no / Alipay out_request_no take. */
export const REFUND_NO_MAX = 64;

/**
 * [P] The n-th refund of an attempt: `<outTradeNo>R<n>` (n from 1). A retry of a failed refund reuses
 * its number (WeChat out_refund_no, payments.md §5), so the number is persisted before the request.
 */
export function refundNo(outTradeNo: string, n: number): PayIdResult<string> {
  const parsed = parseOutTradeNo(outTradeNo);
  if (!parsed.ok) return parsed;
  const no = `${outTradeNo}R${n}`;
  if (!Number.isInteger(n) || n < 1 || no.length > REFUND_NO_MAX)
    return refuse('PAY_REFUND_TOO_MANY', { max: n - 1 });
  return { ok: true, value: no };
}
