import { PAY_TYPE } from '@tollpad/domain';
import type { PaybackTotals } from '@tollpad/station-api';
import type { ShiftPaybackRow } from '../repositories/shifts.repository';

const payTypeOf = (r: ShiftPaybackRow): number => {
  const rec = JSON.parse(r.record_json) as { payType?: unknown };
  return typeof rec.payType === 'number' ? rec.payType : 0;
};

/**
 * 补缴 apart from the tolls (payments.md §9 [P]): the shift's paybacks counted, summed and split by payType.
 * `blind`: the hand-over's collector before the count — no amount, no cash line (they would give the till away).
 */
export function paybackTotals(
  rows: readonly ShiftPaybackRow[],
  names: Readonly<Record<number, string>>,
  opts: { blind?: boolean } = {},
): PaybackTotals {
  const by = new Map<number, PaybackTotals['byPayType'][number]>();
  let amount = 0;
  for (const r of rows) {
    const payType = payTypeOf(r);
    const g = by.get(payType) ?? { payType, name: names[payType] ?? String(payType), count: 0, amount: 0 };
    g.count += 1;
    g.amount += r.fee;
    amount += r.fee;
    by.set(payType, g);
  }
  const byPayType = [...by.values()].sort((a, b) => a.payType - b.payType);
  return opts.blind
    ? { count: rows.length, amount: null, byPayType: byPayType.filter((g) => g.payType !== PAY_TYPE.CASH) }
    : { count: rows.length, amount, byPayType };
}

/** The cash paybacks: the collector holds their cash with the tolls' (amount due; tendered less change). */
export function paybackCash(rows: readonly ShiftPaybackRow[]): {
  count: number;
  expected: number;
  tendered: number;
  change: number;
} {
  const out = { count: 0, expected: 0, tendered: 0, change: 0 };
  for (const r of rows) {
    if (payTypeOf(r) !== PAY_TYPE.CASH) continue;
    const debit = r.debit_json ? (JSON.parse(r.debit_json) as { tendered?: unknown; change?: unknown }) : {};
    out.count += 1;
    out.expected += r.fee;
    out.tendered += typeof debit.tendered === 'number' ? debit.tendered : r.fee;
    out.change += typeof debit.change === 'number' ? debit.change : 0;
  }
  return out;
}
