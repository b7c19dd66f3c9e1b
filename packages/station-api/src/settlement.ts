import { type Static, Type } from 'typebox';
import { Nullable } from './common';
import { QR_CHANNELS } from './payments';

/**
 * The platform's daily settlement file matched against the station's own payments (payments.md §5 step 4,
 * §10.11): `GET /payments/settlement?date=YYYY-MM-DD` (a Beijing day), monitors and admins. Every difference is
 * listed, none is resolved: a refund of a line found missing is a monitor's decision (the refunds area).
 * Refused: a malformed or future date STN_ERR_SETTLE_DATE_INVALID; a day the platform has not published yet
 * STN_ERR_SETTLE_NOT_READY; the platform unreachable STN_ERR_SETTLE_UNREACHABLE; no platform configured
 * STN_ERR_PAY_UNAVAILABLE. Reading it changes nothing at the station.
 */

/** Checked by the station (STN_ERR_SETTLE_DATE_INVALID), so a bad date gets its own code. */
export const SettlementQuery = Type.Object({ date: Type.String({ maxLength: 32 }) });

export const SETTLEMENT_LINE_KINDS = ['pay', 'reverse', 'refund'] as const;

/**
 * - `missing-at-station`: money moved at the platform (a capture, reverse or refund) the station has no line of;
 * - `missing-at-platform`: the station holds a line the platform's file does not;
 * - `amount-differs`: both hold the line with different amounts;
 * - `duplicate`: a line twice on one side, or two captures standing under one pay ID (refund the later, §7);
 * - `not-recorded`: captured at the platform and known to the station, but no exit record holds it (yet).
 */
export const SETTLEMENT_DIFFERENCE_KINDS = [
  'missing-at-station',
  'missing-at-platform',
  'amount-differs',
  'duplicate',
  'not-recorded',
] as const;

export const SettlementDifferenceSchema = Type.Object({
  kind: Type.Enum(SETTLEMENT_DIFFERENCE_KINDS),
  /** The line's key (`pay:<outTradeNo>`, `refund:<outTradeNo>:<refundNo>`, `pay-id:<payId>`). */
  key: Type.String(),
  lineKind: Nullable(Type.Enum(SETTLEMENT_LINE_KINDS)),
  outTradeNo: Nullable(Type.String()),
  payId: Nullable(Type.String()),
  channel: Nullable(Type.Enum(QR_CHANNELS)),
  stationAmount: Nullable(Type.Integer()),
  platformAmount: Nullable(Type.Integer()),
  /** duplicate: which side, how many. */
  side: Nullable(Type.Enum(['station', 'platform'])),
  count: Nullable(Type.Integer()),
  /** The station's exit transaction and record of the payment, when it has them. */
  txnId: Nullable(Type.String()),
  tradeId: Nullable(Type.String()),
  /** In plain Chinese: what differs and what to look at. */
  message: Type.String(),
});
export type SettlementDifference = Static<typeof SettlementDifferenceSchema>;

export const SideTotalsSchema = Type.Object({
  payCount: Type.Integer(),
  payAmount: Type.Integer(),
  /** Reverses and refunds: money given back. */
  refundCount: Type.Integer(),
  refundAmount: Type.Integer(),
});
export type SideTotals = Static<typeof SideTotalsSchema>;

export const ChannelTotalsSchema = Type.Object({
  channel: Type.Enum(QR_CHANNELS),
  name: Type.String(),
  station: SideTotalsSchema,
  platform: SideTotalsSchema,
});
export type ChannelTotals = Static<typeof ChannelTotalsSchema>;

export const SettlementReportSchema = Type.Object({
  date: Type.String(),
  /** Lines matched on both sides with the same amount. */
  matched: Type.Integer(),
  platformLines: Type.Integer(),
  stationLines: Type.Integer(),
  differences: Type.Array(SettlementDifferenceSchema),
  byChannel: Type.Array(ChannelTotalsSchema),
});
export type SettlementReport = Static<typeof SettlementReportSchema>;
