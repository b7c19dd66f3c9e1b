import type { ArrearsLookup, ArrearsPayback } from '@tollpad/station-api';
import type { ArrearsVehicle } from './arrears-vehicles';
import type { DriverWallet } from './driver-wallet';
import { MAX_ATTEMPTS, payAtHandheld, paybackPayable } from './handheld-payment';
import type { PaybackFact } from './served-vehicle';
import type { StationSession } from './station-session';

/**
 * 追缴补缴 at the handheld, before the vehicle's exit: the plate looked up (the centre's open entries with the
 * amounts and why), a payback of all of them opened on this terminal and shift, paid by the driver's channel
 * (as an exit is paid), committed. The payback is its own record; the station uploads it and the centre
 * clears the entries it names.
 */
export async function takePayback(
  session: StationSession,
  laneId: string,
  v: ArrearsVehicle,
  onAnnounce: () => void,
  /** The driver's phone for 主扫 (without it a 主扫 payer pays cash). */
  wallet?: DriverWallet,
): Promise<PaybackFact> {
  const { plate, colour } = v.spec;
  // The centre's answer is bounded at the station: while its link is down or slow the collector is told so
  // (no amounts) and asks again a moment later; after that the vehicle exits and the entry stays owed.
  let owed = await lookup(session, plate, colour);
  for (let k = 1; k < LOOKUPS && owed.source !== 'centre'; k++) {
    await sleep(LOOKUP_PAUSE_MS);
    owed = await lookup(session, plate, colour);
  }
  const fact: PaybackFact = {
    id: '',
    plate,
    colour,
    entryIds: owed.entries.map((e) => e.id),
    amount: owed.total,
    tradeId: null,
  };
  if (owed.source !== 'centre') {
    fact.skipped = `centre not reached (${owed.source}${owed.note ? `: ${owed.note}` : ''})`;
    return fact;
  }
  if (owed.entries.length === 0) throw new Error(`arrears of ${plate}: the centre holds no open entry`);
  const opened = await session.call<ArrearsPayback>('POST', '/arrears-paybacks', {
    body: { laneId, plate, colour, entryIds: fact.entryIds, amount: owed.total },
  });
  fact.id = opened.id;
  const paid = await payAtHandheld(
    paybackPayable(session, opened.id, wallet ? { wallet } : {}),
    owed.total,
    v,
    onAnnounce,
    MAX_ATTEMPTS + 1,
  );
  fact.payment = paid.payment;
  if (paid.cash) fact.cash = paid.cash;
  await session.call('POST', `/arrears-paybacks/${opened.id}/commit`, {
    body: { tradeId: paid.payment.tradeId },
  });
  fact.tradeId = paid.payment.tradeId;
  return fact;
}

/** [P] How often the collector asks for a plate's arrears while the centre is not reached, and how far apart. */
const LOOKUPS = 5;
const LOOKUP_PAUSE_MS = 1_000;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function lookup(session: StationSession, plate: string, colour: number): Promise<ArrearsLookup> {
  return session.call<ArrearsLookup>('GET', `/arrears/${encodeURIComponent(plate)}?colour=${colour}`);
}
