import { type Static, Type } from 'typebox';
import { Nullable } from './common';
import { QR_CHANNELS } from './payments';

/**
 * Refunds of a captured QR payment by a monitor (or admin), with a reason, audited (issue #21; payments.md §5,
 * §7 "Duplicate success found later → refund the later attempt, supervisor-approved"). The contract:
 *
 * - `GET /payments?q=<trade ID | pay ID | out-trade-no | plate>` — captured QR payments that match, newest first.
 * - `GET /payments/:payId/refunds` — one payment (`:payId` is the pay ID, or the exit trade ID of its record)
 *   with its captured and refunded amounts and every refund of it.
 * - `POST /payments/:payId/refunds` `{ amountFen, reason, refundRequestId }` — a refund, partial or whole:
 *   the sum of refunds never passes the captured amount, within the channel's refund window. The refund and
 *   its platform refund number (`<outTradeNo>R<n>`, minted once) are persisted BEFORE the platform is asked;
 *   an unclear answer is asked again under the same number by the station's refund worker (also after a
 *   restart). The same `refundRequestId` answers the same refund (200, `replayed`), never a second one.
 *   Refused: collector (403 STN_ERR_AUTH_FORBIDDEN), STN_ERR_REFUND_REASON, STN_ERR_REFUND_EXCEEDS,
 *   STN_ERR_REFUND_WINDOW_CLOSED, STN_ERR_REFUND_TOO_MANY, STN_ERR_REFUND_CASH (cash is given back from the
 *   till, not by a platform), STN_ERR_REFUND_NOT_QR, STN_ERR_REFUND_NOT_CAPTURED, STN_ERR_REFUND_NOT_FOUND,
 *   STN_ERR_REFUND_NOT_RECORDED (the exit not yet committed: the capture its record will hold is refunded
 *   only once that record exists; a second capture of an exit already recorded with another is refundable),
 *   STN_ERR_REFUND_FOREIGN (another station's payment), STN_ERR_REFUND_REQUEST_REUSED (the request ID with
 *   another body).
 */

/** [P] A reason says why in words a later reader understands, not "退" or "x". */
export const REFUND_REASON_MIN = 4;
export const REFUND_REASON_MAX = 200;

export const REFUND_STATES = ['requested', 'unknown', 'refunded', 'refused', 'conflict'] as const;
export type RefundState = (typeof REFUND_STATES)[number];

export const PaymentRefParam = Type.Object({ payId: Type.String({ minLength: 1, maxLength: 64 }) });

export const RefundBody = Type.Object(
  {
    amountFen: Type.Integer({ minimum: 1, maximum: 100_000_000, description: 'fen' }),
    /** Checked by the station (STN_ERR_REFUND_REASON) so a short one gets its own code. */
    reason: Type.String({ maxLength: REFUND_REASON_MAX }),
    /** The client's idempotency key: one refund per request, whatever is retried. */
    refundRequestId: Type.String({ pattern: '^[A-Za-z0-9_-]{8,64}$' }),
  },
  { additionalProperties: false },
);
export type RefundRequestBody = Static<typeof RefundBody>;

export const RefundSchema = Type.Object({
  refundRequestId: Type.String(),
  /** The platform's out_refund_no: `<outTradeNo>R<n>`. */
  refundNo: Type.String(),
  payId: Type.String(),
  outTradeNo: Type.String(),
  amountFen: Type.Integer(),
  reason: Type.String(),
  /**
   * requested (sent or about to be), unknown (no clear answer: asked again), refunded, refused (no money
   * moved), conflict (the platform's answer contradicts the refund — refunded for another amount, or the
   * refund number already used for another refund: not asked again, its amount stays held; a person checks
   * with the platform). Every state but requested and unknown is final.
   */
  state: Type.Enum(REFUND_STATES),
  /** Plain Chinese for the monitor. */
  message: Type.String(),
  /**
   * Why the platform refused (refused): not-paid, exceeds, too-many, window; or what contradicts the refund
   * (conflict): amount-differs (refunded for another amount), number-used (the number is another refund's).
   */
  refusal: Nullable(Type.String()),
  /** The account that asked for it. */
  by: Type.String(),
  /** ISO-8601: when the platform made the refund. */
  refundedAt: Nullable(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
export type Refund = Static<typeof RefundSchema>;

export const PaymentRefundsSchema = Type.Object({
  payId: Type.String(),
  /** The captured attempt. */
  outTradeNo: Type.String(),
  txnId: Type.String(),
  /** The exit record holding the payment (null while the exit is not committed). */
  tradeId: Nullable(Type.String()),
  laneId: Type.String(),
  plate: Nullable(Type.String()),
  channel: Type.Enum(QR_CHANNELS),
  platformOrderNo: Type.String(),
  paidAt: Type.String(),
  capturedFen: Type.Integer(),
  /** Refunds the platform made. */
  refundedFen: Type.Integer(),
  /**
   * Refunds sent and not answered yet, and refunds in conflict: counted as given (the money may be on its
   * way back, or gone under the conflicting answer) until answered or a person has checked.
   */
  pendingFen: Type.Integer(),
  /** capturedFen − refundedFen − pendingFen. */
  refundableFen: Type.Integer(),
  /** ISO-8601: the end of the channel's refund window. */
  refundUntil: Type.String(),
  refunds: Type.Array(RefundSchema),
});
export type PaymentRefunds = Static<typeof PaymentRefundsSchema>;

export const PaymentLookupQuery = Type.Object({
  q: Type.String({ minLength: 2, maxLength: 64 }),
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
});
export type PaymentLookup = Static<typeof PaymentLookupQuery>;

export const PaymentRefundsListSchema = Type.Array(PaymentRefundsSchema);

export const RefundResultSchema = Type.Object({
  /** true: this refundRequestId was already taken; the refund it made is answered. */
  replayed: Type.Boolean(),
  refund: RefundSchema,
  payment: PaymentRefundsSchema,
});
export type RefundResult = Static<typeof RefundResultSchema>;
