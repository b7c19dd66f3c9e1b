import type { TrainingCpcSpec } from '@tollpad/card/sim';
import type { ArrearsLookup, ArrearsPayback } from '@tollpad/station-api';
import type { SimHandheld } from './handheld';

/**
 * 补缴 of a training arrears car (arrears-* ids, issue #22) at its exit: the plate's open entries with the amounts
 * and why through the station, then the payback — its own transaction, paid by exact cash, its own record
 * (uploaded to the centre, which clears the entries). The exit goes on as usual afterwards.
 */
export async function paybackArrears(
  hh: SimHandheld,
  exitTxnId: string,
  spec: TrainingCpcSpec,
  say: (line: string) => void,
): Promise<void> {
  const owed = await hh.call<ArrearsLookup>(
    'GET',
    `/arrears/${encodeURIComponent(spec.plate)}?colour=${spec.colour}`,
  );
  for (const e of owed.entries)
    say(`  追缴 ${e.id} ${e.confirmedEscapeTypeName} ${(e.oweFee / 100).toFixed(2)}元：${e.reason}`);
  if (owed.note) say(`  ${owed.note}`);
  if (owed.source !== 'centre' || owed.entries.length === 0) {
    say('  无可补缴的欠费（中心未答复或已结清），出口照常');
    return;
  }
  const opened = await hh.call<ArrearsPayback>('POST', '/arrears-paybacks', {
    laneId: hh.opts.laneId,
    plate: spec.plate,
    colour: spec.colour,
    entryIds: owed.entries.map((e) => e.id),
    amount: owed.total,
    exitTxnId,
  });
  const paid = await hh.call<ArrearsPayback>('POST', `/arrears-paybacks/${opened.id}/payment`, {
    payment: 'cash',
    amount: owed.total,
  });
  const done = await hh.call<{ payback: ArrearsPayback }>('POST', `/arrears-paybacks/${opened.id}/commit`, {
    tradeId: paid.tradeId,
  });
  say(
    `  补缴 ${(owed.total / 100).toFixed(2)}元 现金  补缴流水 ${done.payback.tradeId}（单独开票，不计入通行费）`,
  );
}
