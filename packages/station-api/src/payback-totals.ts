import { type Static, Type } from 'typebox';
import { Nullable } from './common';

/** Paybacks (补缴) of one national payType: how many and how much (fen). */
export const PaybackPayTypeSchema = Type.Object({
  payType: Type.Integer(),
  name: Type.String(),
  count: Type.Integer(),
  amount: Type.Integer(),
});

/**
 * A shift's arrears paybacks (补缴, payments.md §9 [P]: never part of the toll), apart from its exits in the shift
 * report and the hand-over: how many, the fen, per payType. `amount` is null (and the cash payType absent) while
 * the hand-over is blind to its collector.
 */
export const PaybackTotalsSchema = Type.Object({
  count: Type.Integer(),
  amount: Nullable(Type.Integer()),
  byPayType: Type.Array(PaybackPayTypeSchema),
});
export type PaybackTotals = Static<typeof PaybackTotalsSchema>;
