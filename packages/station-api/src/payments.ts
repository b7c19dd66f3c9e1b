import { PHASES } from '@tollpad/payment';
import { type Static, Type } from 'typebox';
import { Nullable } from './common';

/**
 * Paying a CPC exit (issue #21; DESIGN.md §7, payments.md §1–§5). The contract, in order:
 *
 * 1. 【算费】 as today; `fee.fee` is the amount due (fen).
 * 2. `POST /exits/:id/debit-intent` with one of
 *    - `{ payment: 'qr', amount, mode: 'code', authCode }`  被扫: the driver's 付款码 as scanned (18–24 digits);
 *    - `{ payment: 'qr', amount, mode: 'dynamic' }`          主扫: the station asks for a code the driver scans;
 *    - `{ payment: 'cash', amount, tendered }`               cash: the station computes `change = tendered − amount`;
 *      `tendered < amount` → 422 STN_ERR_PAY_CASH_SHORT; the old body `{ payment: 'cash', amount }` (no
 *      `tendered`) is still accepted as the exact amount, change 0.
 *    `amount` must equal the fee (STN_ERR_EXIT_AMOUNT_MISMATCH); a garbled/foreign/expired-looking code →
 *    STN_ERR_PAY_CODE_INVALID. The station mints the trade ID, PassID and the pay ID (once, persisted before any
 *    request to the platform) and answers `DebitIntentResult` plus `payment: PaymentStatus` (cash: already
 *    `succeeded`, with `cash: { tendered, change }`; QR: `submitted`/`user-paying`…, the platform call runs in
 *    the station — merchant credentials never reach a handheld).
 * 3. QR only: follow it with `GET /exits/:id/payment?waitMs=25000&since=<version>` (long poll): answers at once
 *    when the status's `version` is above `since`, else after `waitMs` with the same status. `message` is the
 *    plain Chinese progress line (e.g. 请顾客在手机上输入支付密码 while the platform waits for the payer);
 *    `codeUrl` is the 主扫 code to show. Stop when `final` is true.
 *    - `POST /exits/:id/payment/stop`: the collector stops waiting; the station queries, then cancels
 *      (never cancels an unclear outcome without a query).
 *    - `POST /exits/:id/payment/attempts` `{ mode: 'code', authCode } | { mode: 'dynamic' }`: another code for the
 *      same pay ID and amount, only after the last attempt ended not paid (else STN_ERR_PAY_IN_FLIGHT, or
 *      STN_ERR_PAY_ALREADY_PAID).
 *    - To change to cash after a QR ended not paid: `POST /exits/:id/recover { outcome: 'not-debited' }` (refused
 *      with STN_ERR_PAY_IN_FLIGHT while an attempt may still take money), then a new cash debit-intent.
 *    - `pending` (the platform did not answer): the barrier stays down; the station's payment worker keeps
 *      querying, also after a restart; the long poll reports the outcome.
 * 4. When `phase` is `succeeded`, the handheld writes the CPC's exit flag and commits as today:
 *    `POST /exits/:id/commit { tradeId, cardWrite, reason?, cardError? }`. The station commits the exit record
 *    and the payment together and refuses (409 STN_ERR_PAY_NOT_SUCCEEDED) unless the payment succeeded; one
 *    captured payment gives exactly one record. A platform answer for another pay ID or amount is discarded.
 */

/** The QR channels (packages/payment channels.ts QrChannel). */
export const QR_CHANNELS = ['WECHAT', 'ALIPAY', 'UNIONPAY_QR', 'OTHER_QR'] as const;

/** A driver's 付款码: digits only here; the station classifies the channel and refuses what it cannot pay. */
const AuthCode = Type.String({ pattern: '^\\d{10,32}$', description: "the driver's 付款码 as scanned" });
const Amount = Type.Integer({ minimum: 1, description: 'fen; must equal the fee' });

export const QrCodeAttemptBody = Type.Object(
  { mode: Type.Literal('code'), authCode: AuthCode },
  { additionalProperties: false },
);
export const QrDynamicAttemptBody = Type.Object(
  { mode: Type.Literal('dynamic') },
  { additionalProperties: false },
);
/** `POST /exits/:id/payment/attempts`: another code under the same pay ID, after a not-paid end. */
export const PaymentAttemptBody = Type.Union([QrCodeAttemptBody, QrDynamicAttemptBody]);
export type PaymentAttempt = Static<typeof PaymentAttemptBody>;

/** 被扫 at the payment intent. */
export const CpcQrCodePaymentBody = Type.Object(
  { payment: Type.Literal('qr'), amount: Amount, mode: Type.Literal('code'), authCode: AuthCode },
  { additionalProperties: false },
);
/** 主扫 at the payment intent. */
export const CpcQrDynamicPaymentBody = Type.Object(
  { payment: Type.Literal('qr'), amount: Amount, mode: Type.Literal('dynamic') },
  { additionalProperties: false },
);
/** Cash with the tendered amount (fen); the station computes the change. Without `tendered`: exact amount. */
export const CpcCashPaymentBody = Type.Object(
  {
    payment: Type.Literal('cash'),
    amount: Type.Integer({ minimum: 0 }),
    tendered: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000_000 })),
  },
  { additionalProperties: false },
);
export const CpcPaymentBody = Type.Union([CpcQrCodePaymentBody, CpcQrDynamicPaymentBody, CpcCashPaymentBody]);
export type CpcPayment = Static<typeof CpcPaymentBody>;

export const CashFactsSchema = Type.Object({ tendered: Type.Integer(), change: Type.Integer() });
export type CashFacts = Static<typeof CashFactsSchema>;

/** What the collector sees of a payment in flight, or after it. */
export const PaymentStatusSchema = Type.Object({
  payId: Type.String(),
  method: Type.Enum(['qr', 'cash']),
  /** QR only (null for cash). */
  mode: Nullable(Type.Enum(['code', 'dynamic'])),
  channel: Nullable(Type.Enum(QR_CHANNELS)),
  attempt: Type.Integer(),
  outTradeNo: Nullable(Type.String()),
  amount: Type.Integer(),
  phase: Type.Enum(PHASES),
  /** No more change without the collector (succeeded, failed, cancelled, reversed). */
  final: Type.Boolean(),
  /** Not resolved: the platform did not answer; the station keeps querying (barrier down). */
  pending: Type.Boolean(),
  /** Plain Chinese, e.g. 请顾客在手机上输入支付密码. */
  message: Type.String(),
  /** The 主扫 code to show the driver. */
  codeUrl: Nullable(Type.String()),
  /** The last decline or the reason the outcome is unclear (e.g. insufficient, code-invalid, timeout). */
  reason: Nullable(Type.String()),
  cash: Nullable(CashFactsSchema),
  /** The platform's order number once paid. */
  platformOrderNo: Nullable(Type.String()),
  /** Grows with every change; the long poll's `since`. */
  version: Type.Integer(),
  updatedAt: Type.String(),
});
export type PaymentStatus = Static<typeof PaymentStatusSchema>;

export const PaymentWaitQuery = Type.Object({
  waitMs: Type.Integer({ minimum: 0, maximum: 30_000, default: 25_000 }),
  since: Type.Integer({ minimum: -1, default: -1 }),
});
export type PaymentWait = Static<typeof PaymentWaitQuery>;
