import type { ExitTransaction } from '@tollpad/station-api';
import type { Prng } from './prng';
import type { Outcome } from './served-vehicle';
import { ApiError, callJson, type RetryStats } from './station-client';
import type { StationSession } from './station-session';

export interface PricingContext {
  session: StationSession;
  /** The plate photo the handheld uploaded at the start of its shift. */
  photoSha: string;
  /** The shift leader's token, for an authorisation. */
  monitorToken: () => string;
  stats: RetryStats;
}

export type Priced = { ok: true; amount: number } | { ok: false; outcome: Outcome; fee: number | null };

/**
 * An exit paid at the handheld (CPC, no card) up to the payment: the photo step with the actual plate,
 * 【算费】 (the driver names the entry when the station asks for one), 班长授权 when the fee needs it (approved
 * nine times in ten), then whether the fee can be paid; an exit that ends before the payment is cancelled.
 */
export async function pricePaidExit(
  c: PricingContext,
  created: ExitTransaction,
  v: { plate: string; colour: number; vehicleClass: number },
  statedEntry: string,
  rng: Prng,
): Promise<Priced> {
  const txnId = created.id;
  const stop = async (outcome: Outcome, fee: number | null, reason: string): Promise<Priced> => {
    await c.session.call('POST', `/exits/${txnId}/cancel`, { body: { reason } });
    return { ok: false, outcome, fee };
  };
  if (created.checks.blocked) return stop('blocked', null, '校验未通过 (plaza-day TEST)');
  await c.session.call('POST', `/exits/${txnId}/image`, {
    body: { plate: v.plate, plateColour: v.colour, photoSha256: c.photoSha },
  });
  const feeBody = { vehicleClass: v.vehicleClass, vehicleKind: 0 };
  let priced: ExitTransaction;
  try {
    priced = await c.session.call<ExitTransaction>('POST', `/exits/${txnId}/fee`, { body: feeBody });
  } catch (e) {
    if (!(e instanceof ApiError && e.code === 'STN_ERR_EXIT_ENTRY_REQUIRED')) throw e;
    priced = await c.session.call<ExitTransaction>('POST', `/exits/${txnId}/fee`, {
      body: { ...feeBody, entryStation: statedEntry },
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
  if (!fee?.payable)
    return stop('not-payable', fee?.fee ?? null, `不可支付：${fee?.notPayableReason ?? '未说明'}`);
  return { ok: true, amount: fee.fee };
}
