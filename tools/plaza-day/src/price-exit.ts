import type { CardSnapshot } from '@tollpad/card';
import type { ExitTransaction } from '@tollpad/station-api';
import { authoriseIfRequired, type Priced, type PricingContext, photoAndFee, stopExit } from './price-steps';
import type { Prng } from './prng';
import type { Vehicle } from './vehicles';

export type { Priced, PricingContext } from './price-steps';

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
  if (created.checks.blocked) return stopExit(c, txnId, 'blocked', null, '卡片校验未通过 (plaza-day TEST)');
  const fee0 = await photoAndFee(
    c,
    txnId,
    { plate: v.actualPlate, colour: v.colour, vehicleClass: v.vehicleClass },
    v.declaredEntryHex ?? null,
  );
  const priced = await authoriseIfRequired(c, fee0, rng);
  if (!priced) return { ok: false, outcome: 'auth-refused', fee: null };
  const fee = priced.fee;
  if (!fee?.etcPayable)
    return stopExit(c, txnId, 'not-payable', fee?.fee ?? null, '不可ETC支付 (plaza-day TEST)');
  const amount = fee.fee;
  if (snap.balance !== null && snap.ef0015.cardKind === 'stored-value' && amount > snap.balance)
    return stopExit(c, txnId, 'insufficient', amount, '余额不足 (plaza-day TEST)');
  return { ok: true, amount };
}
