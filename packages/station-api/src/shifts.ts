import { type Static, Type } from 'typebox';
import { Nullable } from './common';
import { PaybackTotalsSchema } from './payback-totals';

/** Shifts (开班/结班) and the shift report. */

export const ShiftSchema = Type.Object({
  id: Type.String(),
  accountId: Type.String(),
  terminalId: Nullable(Type.String()),
  openedAt: Type.String(),
  closedAt: Nullable(Type.String()),
});
export type Shift = Static<typeof ShiftSchema>;
export const ShiftListSchema = Type.Array(ShiftSchema);

export const ShiftListQuery = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
});

/** Vehicles and amount (fen) under one code: a vehicle kind, an exit fee type or a special. */
export const ReportGroupSchema = Type.Object({
  code: Type.Integer(),
  name: Type.String(),
  vehicles: Type.Integer(),
  amount: Type.Integer(),
});
export type ReportGroup = Static<typeof ReportGroupSchema>;

export const CpcStockSchema = Type.Object({
  collected: Type.Integer(),
  writeFailed: Type.Integer(),
  lowBattery: Type.Integer(),
});
export type CpcStock = Static<typeof CpcStockSchema>;

/**
 * The shift's no-card exits (cpc-card.md §5.4): all of them, by reason, the damaged CPCs collected (kept apart
 * from the good cards of cpcStock [P]) and the card cost taken, fen.
 */
export const NoCardStockSchema = Type.Object({
  exits: Type.Integer(),
  noCard: Type.Integer(),
  lost: Type.Integer(),
  damaged: Type.Integer(),
  cardCost: Type.Integer(),
});
export type NoCardStock = Static<typeof NoCardStockSchema>;

export const ShiftReportSchema = Type.Object({
  shift: ShiftSchema,
  totals: Type.Object({
    vehicles: Type.Integer(),
    amount: Type.Integer(),
    authorised: Type.Integer(),
    cancelled: Type.Integer(),
  }),
  byKind: Type.Array(ReportGroupSchema),
  byExitFeeType: Type.Array(ReportGroupSchema),
  bySpecial: Type.Array(ReportGroupSchema),
  /**
   * CPCs collected at exit in this shift (cpc-card.md §6, payments.md §9): every committed CPC exit counts its
   * card once (a replayed commit does not count again); of those, the cards whose exit write failed (special
   * "CPC写卡失败过车") and the cards that read low battery (special 33).
   */
  cpcStock: CpcStockSchema,
  noCardStock: NoCardStockSchema,
  /** 补缴: the shift's arrears paybacks, never among the tolls above. */
  paybacks: PaybackTotalsSchema,
  cancelled: Type.Array(
    Type.Object({
      txnId: Type.String(),
      cardNo: Type.String(),
      reason: Nullable(Type.String()),
      at: Type.String(),
    }),
  ),
  authorisations: Type.Array(
    Type.Object({
      txnId: Type.String(),
      status: Type.String(),
      by: Nullable(Type.String()),
      reason: Nullable(Type.String()),
      state: Type.String(),
    }),
  ),
});
export type ShiftReport = Static<typeof ShiftReportSchema>;
