import type { ExitTransaction } from '@tollpad/station-api';
import { authoriseIfRequired, type Priced, type PricingContext, photoAndFee, stopExit } from './price-steps';
import type { Prng } from './prng';

export type { Priced, PricingContext } from './price-steps';

/**
 * An exit paid at the handheld (CPC, no card) opened by its 【读卡】 body (`{ cpc }` or `{ none }`) and priced up to
 * the payment: the photo step with the actual plate, 【算费】 (the driver names the entry when the station asks
 * for one), 班长授权 when the fee needs it (approved nine times in ten), then whether the fee can be paid; an exit
 * that ends before the payment is cancelled. `opened` learns the transaction's ID as soon as it exists.
 */
export async function openPaidExit(
  c: PricingContext & { laneId: string },
  read: Record<string, unknown>,
  v: { plate: string; colour: number; vehicleClass: number },
  statedEntry: string,
  rng: Prng,
  opened: (txnId: string) => void,
): Promise<Priced> {
  const created = await c.session.call<ExitTransaction>('POST', '/exits', {
    body: { laneId: c.laneId, ...read },
  });
  const txnId = created.id;
  opened(txnId);
  if (created.checks.blocked) return stopExit(c, txnId, 'blocked', null, '校验未通过 (plaza-day TEST)');
  const priced = await authoriseIfRequired(c, await photoAndFee(c, txnId, v, statedEntry), rng);
  if (!priced) return { ok: false, outcome: 'auth-refused', fee: null };
  const fee = priced.fee;
  if (!fee?.payable)
    return stopExit(
      c,
      txnId,
      'not-payable',
      fee?.fee ?? null,
      `不可支付：${fee?.notPayableReason ?? '未说明'}`,
    );
  return { ok: true, amount: fee.fee };
}
