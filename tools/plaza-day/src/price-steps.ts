import type { ExitTransaction } from '@tollpad/station-api';
import type { Prng } from './prng';
import type { Outcome } from './served-vehicle';
import { ApiError, callJson, type RetryStats } from './station-client';
import type { StationSession } from './station-session';

/**
 * The steps every priced exit shares at the handheld (an ETC debit, an exit paid at the handheld, a green
 * truck re-priced by its inspection): the photo and 【算费】, 班长授权, and the cancel of an exit that ends
 * before any money moves.
 */

/** The amount to take, or how the exit ended before any money moved (the transaction cancelled). */
export type Priced = { ok: true; amount: number } | { ok: false; outcome: Outcome; fee: number | null };

export interface PricingContext {
  session: StationSession;
  /** The plate photo the handheld uploaded at the start of its shift. */
  photoSha: string;
  /** The shift leader's token, for an authorisation. */
  monitorToken: () => string;
  stats: RetryStats;
}

/** Cancels the exit (nothing taken) and says how it ended. */
export async function stopExit(
  c: PricingContext,
  txnId: string,
  outcome: Outcome,
  fee: number | null,
  reason: string,
): Promise<Priced> {
  await c.session.call('POST', `/exits/${txnId}/cancel`, { body: { reason } });
  return { ok: false, outcome, fee };
}

/**
 * 【提交图片数据】 with the actual plate, then 【算费】; when the station asks for the entry (none on the card), the
 * collector asks the driver and types the one stated (without one, the refusal stands).
 */
export async function photoAndFee(
  c: PricingContext,
  txnId: string,
  v: { plate: string; colour: number; vehicleClass: number },
  statedEntry: string | null,
): Promise<ExitTransaction> {
  await c.session.call('POST', `/exits/${txnId}/image`, {
    body: { plate: v.plate, plateColour: v.colour, photoSha256: c.photoSha },
  });
  const feeBody = { vehicleClass: v.vehicleClass, vehicleKind: 0 };
  try {
    return await c.session.call<ExitTransaction>('POST', `/exits/${txnId}/fee`, { body: feeBody });
  } catch (e) {
    if (!(e instanceof ApiError && e.code === 'STN_ERR_EXIT_ENTRY_REQUIRED' && statedEntry)) throw e;
    return c.session.call<ExitTransaction>('POST', `/exits/${txnId}/fee`, {
      body: { ...feeBody, entryStation: statedEntry },
    });
  }
}

/**
 * 班长授权 when the fee needs it (approved nine times in ten): the transaction as it then stands, or null when
 * the shift leader refused (the exit cancelled).
 */
export async function authoriseIfRequired(
  c: PricingContext,
  t: ExitTransaction,
  rng: Prng,
): Promise<ExitTransaction | null> {
  if (t.authorisation.status !== 'required') return t;
  const approve = rng.chance(0.9);
  await callJson(
    c.session.stationUrl,
    'POST',
    `/exits/${t.id}/authorisation`,
    {
      token: c.monitorToken(),
      body: { approve, reason: approve ? '班长授权 (plaza-day TEST)' : '班长拒绝 (plaza-day TEST)' },
    },
    c.stats,
  );
  const after = await c.session.call<ExitTransaction>('GET', `/exits/${t.id}`);
  if (after.authorisation.status === 'approved') return after;
  await stopExit(c, t.id, 'auth-refused', null, '班长未授权 (plaza-day TEST)');
  return null;
}

/**
 * An exit that failed at the handheld: cancelled while no money can have moved (`open`), the error in the
 * day's words (the station's code for a refusal).
 */
export async function failExit(
  session: StationSession,
  txnId: string,
  open: boolean,
  e: unknown,
): Promise<string> {
  const msg = e instanceof ApiError ? `${e.path} ${e.status} ${e.code}` : String(e);
  if (open && txnId)
    await session
      .call('POST', `/exits/${txnId}/cancel`, { body: { reason: 'plaza-day: failed' } })
      .catch(() => {});
  return msg;
}
