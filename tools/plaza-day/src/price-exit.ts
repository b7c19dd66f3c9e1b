import type { CardSnapshot } from '@tollpad/card';
import type { ExitTransaction } from '@tollpad/station-api';
import type { Prng } from './prng';
import type { Outcome } from './served-vehicle';
import { ApiError, callJson, type RetryStats } from './station-client';
import type { StationSession } from './station-session';
import type { Vehicle } from './vehicles';

/** The amount to debit, or how the exit ended before any debit (the transaction cancelled). */
export type Priced = { ok: true; amount: number } | { ok: false; outcome: Outcome; fee: number | null };

export interface PricingContext {
  session: StationSession;
  /** The plate photo the handheld uploaded at the start of its shift. */
  photoSha: string;
  /** The shift leader's token, for a minimum-fee authorisation. */
  monitorToken: () => string;
  stats: RetryStats;
}

/**
 * An opened exit transaction up to the debit: refused card checks, 【提交图片数据】, 【算费】 (asking the driver
 * for the entry station when the card has none), 班长授权 when the fee needs it (approved nine times in ten),
 * then whether the card can pay.
 */
export async function priceExit(
  c: PricingContext,
  created: ExitTransaction,
  v: Vehicle,
  snap: CardSnapshot,
  rng: Prng,
): Promise<Priced> {
  const txnId = created.id;
  const stop = async (outcome: Outcome, fee: number | null, reason: string): Promise<Priced> => {
    await c.session.call('POST', `/exits/${txnId}/cancel`, { body: { reason } });
    return { ok: false, outcome, fee };
  };
  if (created.checks.blocked) return stop('blocked', null, '卡片校验未通过 (plaza-day TEST)');
  await c.session.call('POST', `/exits/${txnId}/image`, {
    body: { plate: v.actualPlate, plateColour: v.colour, photoSha256: c.photoSha },
  });
  let priced: ExitTransaction;
  try {
    priced = await c.session.call<ExitTransaction>('POST', `/exits/${txnId}/fee`, {
      body: { vehicleClass: v.vehicleClass, vehicleKind: 0 },
    });
  } catch (e) {
    // No entry on the card: the collector asks the driver and types the entry station.
    if (!(e instanceof ApiError && e.code === 'STN_ERR_EXIT_ENTRY_REQUIRED' && v.declaredEntryHex)) throw e;
    priced = await c.session.call<ExitTransaction>('POST', `/exits/${txnId}/fee`, {
      body: { vehicleClass: v.vehicleClass, vehicleKind: 0, entryStation: v.declaredEntryHex },
    });
  }
  if (priced.authorisation.status === 'required') {
    const approve = rng.chance(0.9);
    await callJson(
      c.session.stationUrl,
      'POST',
      `/exits/${txnId}/authorisation`,
      {
        token: c.monitorToken(),
        body: { approve, reason: approve ? '班长授权 (plaza-day TEST)' : '班长拒绝 (plaza-day TEST)' },
      },
      c.stats,
    );
    priced = await c.session.call<ExitTransaction>('GET', `/exits/${txnId}`);
    if (priced.authorisation.status !== 'approved')
      return stop('auth-refused', null, '班长未授权 (plaza-day TEST)');
  }
  const fee = priced.fee;
  if (!fee?.etcPayable) return stop('not-payable', fee?.fee ?? null, '不可ETC支付 (plaza-day TEST)');
  const amount = fee.fee;
  if (snap.balance !== null && snap.ef0015.cardKind === 'stored-value' && amount > snap.balance)
    return stop('insufficient', amount, '余额不足 (plaza-day TEST)');
  return { ok: true, amount };
}
