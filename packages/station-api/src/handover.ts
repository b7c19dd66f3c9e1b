import { type Static, Type } from 'typebox';
import { Nullable } from './common';
import { PaybackTotalsSchema } from './payback-totals';
import { QR_CHANNELS } from './payments';
import { ReceiptLogSchema } from './receipts';
import { SettlementDifferenceSchema } from './settlement';
import { CpcStockSchema, ShiftSchema } from './shifts';

/**
 * Shift hand-over (交班, payments.md §9): `POST /shifts/:id/handover` `{ cashCounted }` — the collector closing the
 * shift (or a monitor for them) enters the cash counted; the shift is closed if still open, the count and who
 * handed over are audited, once (STN_ERR_HANDOVER_ALREADY_DONE). `GET /shifts/:id/handover` — the report: cash
 * expected (Σ amounts due of cash exits, never Σ tendered) against counted — blind for the shift's collector
 * until the count is recorded (`blind`); payments by payType; QR per channel
 * against the platform's settlement of the shift's payments; receipts issued and reprinted; CPC stock; open items.
 */

export const HandoverBody = Type.Object(
  {
    /** fen: the cash in the till at the end of the shift. */
    cashCounted: Type.Integer({ minimum: 0, maximum: 100_000_000_00 }),
    remark: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);
export type HandoverRequest = Static<typeof HandoverBody>;

export const PayTypeTotalSchema = Type.Object({
  payType: Type.Integer(),
  name: Type.String(),
  vehicles: Type.Integer(),
  amount: Type.Integer(),
});
export type PayTypeTotal = Static<typeof PayTypeTotalSchema>;

const CountSum = Type.Object({ count: Type.Integer(), amount: Type.Integer() });

export const HandoverChannelSchema = Type.Object({
  channel: Type.Enum(QR_CHANNELS),
  name: Type.String(),
  /** Captured payments of the shift that an exit record holds. */
  station: CountSum,
  /** The same payments' captures in the platform's settlement; null while the file is not available. */
  platform: Nullable(CountSum),
});
export type HandoverChannel = Static<typeof HandoverChannelSchema>;

/**
 * - `matched`: every line agrees; `differences`: see the lists;
 * - `none`: the shift had no QR payment; `not-ready`: the platform publishes the day later (`availableAt`);
 * - `unreachable` / `unconfigured`: the platform cannot be asked now (the station's side stands alone).
 */
export const HANDOVER_SETTLEMENT_STATES = [
  'matched',
  'differences',
  'none',
  'not-ready',
  'unreachable',
  'unconfigured',
] as const;

export const HandoverReportSchema = Type.Object({
  shift: ShiftSchema,
  /**
   * true: the shift's own collector before the hand-over — a blind count, so no cash figure is given: `cash`'s
   * amounts are null and the cash payType (1) is absent from `byPayType`. Monitors and admins, and the
   * collector once the count is recorded, get every figure.
   */
  blind: Type.Boolean(),
  /** The hand-over itself; null until the collector counted the cash. */
  handover: Nullable(
    Type.Object({
      cashCounted: Type.Integer(),
      by: Type.String(),
      at: Type.String(),
      remark: Nullable(Type.String()),
    }),
  ),
  cash: Type.Object({
    vehicles: Type.Integer(),
    /**
     * Σ amounts due of the cash exits and cash paybacks: what the till must hold (the change went back to the
     * drivers); null while blind.
     */
    expected: Nullable(Type.Integer()),
    /** Cash paybacks (补缴) whose amounts are in `expected` (the collector hands that cash over too). */
    paybacks: Type.Integer(),
    /** null while blind (tendered − change is the expected cash). */
    tendered: Nullable(Type.Integer()),
    change: Nullable(Type.Integer()),
    counted: Nullable(Type.Integer()),
    /** counted − expected (negative: short). */
    difference: Nullable(Type.Integer()),
  }),
  /** Every committed exit of the shift by national payType (1 cash, 4 ETC card, 6 Alipay, 7 WeChat…). */
  byPayType: Type.Array(PayTypeTotalSchema),
  etcCard: Type.Object({ vehicles: Type.Integer(), amount: Type.Integer() }),
  /** 补缴: the shift's arrears paybacks apart from the exits (`byPayType` counts exits only). */
  paybacks: PaybackTotalsSchema,
  qr: Type.Object({
    byChannel: Type.Array(HandoverChannelSchema),
    settlement: Type.Object({
      state: Type.Enum(HANDOVER_SETTLEMENT_STATES),
      availableAt: Nullable(Type.String()),
      matched: Type.Integer(),
      /** At the platform, not at the station (paid, no record). */
      missing: Type.Array(SettlementDifferenceSchema),
      /** At the station, not at the platform. */
      extra: Type.Array(SettlementDifferenceSchema),
      /** Amounts that differ, duplicates, captures without a record. */
      other: Type.Array(SettlementDifferenceSchema),
    }),
  }),
  cpcStock: CpcStockSchema,
  receipts: Type.Object({
    printed: Type.Integer(),
    reprinted: Type.Integer(),
    reprints: Type.Array(ReceiptLogSchema),
  }),
  /** What is not finished: payments still in flight or unclear, refunds pending, captures no record holds yet. */
  openItems: Type.Object({
    payments: Type.Array(
      Type.Object({
        outTradeNo: Type.String(),
        txnId: Type.String(),
        phase: Type.String(),
        amount: Type.Integer(),
      }),
    ),
    /**
     * Refunds asked for and not yet answered by the platform (requested/unknown: the refund worker asks again),
     * and refunds in conflict (the platform's answer contradicts them: a person checks with the platform).
     */
    refundsPending: Type.Array(
      Type.Object({
        refundNo: Type.String(),
        outTradeNo: Type.String(),
        state: Type.String(),
        amount: Type.Integer(),
      }),
    ),
    capturedNotRecorded: Type.Integer(),
    byPhase: Type.Array(Type.Object({ phase: Type.String(), count: Type.Integer() })),
  }),
});
export type HandoverReport = Static<typeof HandoverReportSchema>;

/**
 * `GET /shifts/:id/records?limit=` — the shift's records, newest first, for its collector too (receipts are
 * reprinted from them, payments.md §8); `/records` itself stays the monitors' station-wide search.
 */
export const ShiftRecordsQuery = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 1000, default: 200 }),
});
