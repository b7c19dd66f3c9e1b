import { PHASES } from '@tollpad/payment';
import { type Static, Type } from 'typebox';
import { Hex, Nullable } from './common';

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
 *    STN_ERR_PAY_CODE_INVALID; `{ payment: 'etc-card', … }` the driver's ETC card (CpcEtcCardPaymentBody below).
 *    The station mints the trade ID, PassID and the pay ID (once, persisted before any
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

/** The ETC card's files as 【读卡】 reads them (raw; the station decodes and checks them itself). */
export const EtcCardFilesSchema = Type.Object(
  {
    ef0015: Type.Union([Hex(43), Hex(50)]),
    ef0019: Hex(43),
    /** Purse balance as the raw 4-byte value (unsigned). */
    balance: Type.Integer({ minimum: 0, maximum: 0xffffffff }),
    layout0019: Type.Optional(Type.Enum(['legacy', '2019'])),
  },
  { additionalProperties: false },
);
export type EtcCardFiles = Static<typeof EtcCardFilesSchema>;

/** What the composite purchase announces just before DEBIT (the ETC exit's debit intent and the ETC-card payment). */
export const EtcPurchaseAnnouncement = {
  cardId: Type.String({ pattern: '^\\d{20}$' }),
  cardAtc: Type.Integer({ minimum: 0, maximum: 0xffff }),
  psamTerminalNo: Type.String({ pattern: '^[0-9A-Fa-f]{12}$' }),
  terminalTransNo: Type.String({
    pattern: '^[0-9A-Fa-f]{8}$',
    description: "the PSAM's transaction serial for this purchase: the commit's proof must carry it",
  }),
  datetime: Type.String({
    pattern: '^\\d{14}$',
    description: 'YYYYMMDDhhmmss, Beijing: the purchase datetime sent to the card (the record exTime)',
  }),
};

/** The card's proof of a composite purchase (DEBIT's TAC or GET TRANSACTION PROVE's). */
export const EtcPurchaseProofSchema = Type.Object(
  {
    tac: Type.String({ pattern: '^[0-9A-Fa-f]{8}$' }),
    psamTerminalNo: Type.String({ pattern: '^[0-9A-Fa-f]{12}$' }),
    terminalTransNo: Type.String({ pattern: '^[0-9A-Fa-f]{8}$' }),
    cardTransNo: Type.Integer({ minimum: 0, maximum: 0xffff }),
    preBalance: Type.Integer({ minimum: -0x80000000, maximum: 0xffffffff }),
    postBalance: Type.Integer({ minimum: -0x80000000, maximum: 0xffffffff }),
    /** 1 = 3DES, 2 = SM4. */
    algorithm: Type.Union([Type.Literal(1), Type.Literal(2)]),
  },
  { additionalProperties: false },
);
export type EtcPurchaseProof = Static<typeof EtcPurchaseProofSchema>;

/**
 * The driver's own ETC card pays a CPC exit (payments.md §6; issue #21): read on the handheld's reader without
 * its OBU, it pays only — the non-ETC fee, no ETC discount, national payType 4, transPayType 2. Announced
 * just before DEBIT like an ETC debit intent, with the card's files for the checks (validity, status list,
 * balance): a stored-value balance below the amount → 422 STN_ERR_PAY_ETC_CARD_BALANCE_LOW (special 27,
 * 请车主以其他方式缴费); an expired, locked, foreign or listed card → 422 STN_ERR_PAY_ETC_CARD_REFUSED. The
 * commit carries the card's proof in `etcCard` beside the CPC write outcome; a lost answer is recovered as for
 * an ETC exit: `recover { outcome: 'debited', commit }` with the proof from GET TRANSACTION PROVE, or
 * `{ outcome: 'not-debited', cardAtc }` with the card's ATC unchanged (then another method may follow).
 */
export const CpcEtcCardPaymentBody = Type.Object(
  {
    payment: Type.Literal('etc-card'),
    amount: Amount,
    ...EtcPurchaseAnnouncement,
    card: EtcCardFilesSchema,
  },
  { additionalProperties: false },
);
export type CpcEtcCardPayment = Static<typeof CpcEtcCardPaymentBody>;

/**
 * A free exit (fee 0: a passed green-channel inspection, a free kind, holiday free): nothing is taken, the station
 * refuses it unless the fee is 0 (green-channel.ts).
 */
export const CpcFreePaymentBody = Type.Object(
  { payment: Type.Literal('free'), amount: Type.Literal(0) },
  { additionalProperties: false },
);

export const CpcPaymentBody = Type.Union([
  CpcQrCodePaymentBody,
  CpcQrDynamicPaymentBody,
  CpcCashPaymentBody,
  CpcEtcCardPaymentBody,
  CpcFreePaymentBody,
]);
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
