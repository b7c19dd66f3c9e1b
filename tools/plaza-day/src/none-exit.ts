import { planCpcTrip } from '../../../scripts/sim/trip-cpc';
import { type PaidExitContext, payExit } from './cpc-exit';
import type { EtcCardTaken } from './etc-card-payment';
import { reportPassages } from './gantry-passages';
import type { NoneVehicle } from './none-vehicles';
import { openPaidExit } from './price-paid-exit';
import { failExit } from './price-steps';
import type { Prng } from './prng';
import type { CashTaken, HandheldPayment, Outcome, VehicleResult } from './served-vehicle';

/**
 * One vehicle without a usable card at a simulated handheld (TEST), over the station's HTTP API: its trip's
 * gantries report the passages with the plate to the centre, 【读卡】 names why there is no card (with a
 * damaged CPC's label ID, the entry the driver states or the refusal), image → 【算费】 (the station asks the
 * centre for the fee by plate, else the stated entry, else the farthest route) → 班长授权 → the payment as for
 * a CPC → 【提交数据】 with no card write; its evidence (the path) is read back at the end of the day.
 */
export async function serveNone(
  c: PaidExitContext,
  v: NoneVehicle,
  rng: Prng,
  /** The trip's gantries already reported it (a CPC found unreadable at 【读卡】). */
  o: { passagesReported?: boolean } = {},
): Promise<VehicleResult> {
  const started = Date.now();
  const trip = planCpcTrip(c.network, v.trip, { exitStationId: c.exitStationId, exitTime: new Date() });
  let txnId = '';
  let payment: HandheldPayment | undefined;
  let cash: CashTaken | undefined;
  let etcCard: EtcCardTaken | undefined;
  let announced = false;
  const done = (outcome: Outcome, fee: number | null, error?: string): VehicleResult => ({
    index: v.index,
    medium: 'none',
    caseId: v.caseId,
    outcome,
    fee,
    tradeId: payment?.tradeId ?? null,
    endedAt: Date.now() - c.t0,
    latencyMs: Date.now() - started,
    ...(txnId ? { txnId } : {}),
    ...(payment ? { payment } : {}),
    ...(cash ? { cash } : {}),
    ...(etcCard ? { etcCard } : {}),
    passages: trip.plan.gantries.length,
    ...(error ? { error } : {}),
  });
  try {
    if (!o.passagesReported) await reportPassages(c, trip.plan, v.trip);
    const none = {
      reason: v.reason,
      ...(v.reason === 'damaged' ? { cpcId: v.trip.cpcId } : {}),
      ...(v.entry === 'stated' ? { statedEntry: trip.plan.entryStationHex } : {}),
      ...(v.entry === 'refused' ? { refused: true } : {}),
    };
    const priced = await openPaidExit(c, { none }, v.trip, trip.plan.entryStationHex, rng, (id) => {
      txnId = id;
    });
    if (!priced.ok) return done(priced.outcome, priced.fee);
    const paid = await payExit(c, txnId, priced.amount, v, () => {
      announced = true;
    });
    payment = paid.payment;
    cash = paid.cash;
    etcCard = paid.etcCard?.taken;
    await c.session.call('POST', `/exits/${txnId}/commit`, {
      body: {
        tradeId: paid.payment.tradeId,
        cardWrite: 'none',
        ...(paid.etcCard ? { etcCard: paid.etcCard.proof } : {}),
      },
    });
    return done('paid', priced.amount);
  } catch (e) {
    return done('failed', null, await failExit(c.session, txnId, !announced, e));
  }
}
