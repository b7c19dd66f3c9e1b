import type { GreenInspectionAnswer } from '@tollpad/station-api';
import type { GreenLoad } from './cpc-vehicles';
import { authoriseIfRequired, type Priced, type PricingContext, stopExit } from './price-steps';
import type { Prng } from './prng';
import type { GreenFact } from './served-vehicle';

/**
 * 绿通查验 at the handheld (issue #22 item 3): the photos of the load from several sides (TEST images the
 * handheld uploaded), the cargo from the published catalogue and the collector's verdict; the station keeps
 * the inspection and re-prices the priced exit (a pass free, as kind 21; otherwise the normal fee). A fee
 * that now needs the shift leader is authorised as at 【算费】.
 */
export async function inspectGreen(
  c: PricingContext & { loadPhotos: () => Promise<string[]> },
  txnId: string,
  load: GreenLoad,
  rng: Prng,
): Promise<{ fact: GreenFact; priced: Priced }> {
  const answer = await c.session.call<GreenInspectionAnswer>('POST', `/exits/${txnId}/green-inspection`, {
    body: {
      cargo: load.cargo,
      result: load.result,
      photos: await c.loadPhotos(),
      note: '绿通查验 (plaza-day TEST)',
    },
  });
  const fact: GreenFact = {
    inspectionId: answer.inspection.id,
    result: load.result,
    passed: answer.inspection.passed,
    ...(load.banned ? { banned: true } : {}),
    tradeId: null,
  };
  const t = await authoriseIfRequired(c, answer.transaction, rng);
  if (!t) return { fact, priced: { ok: false, outcome: 'auth-refused', fee: null } };
  const fee = t.fee;
  if (!fee?.payable)
    return {
      fact,
      priced: await stopExit(c, txnId, 'not-payable', fee?.fee ?? null, '不可支付 (plaza-day TEST)'),
    };
  return { fact, priced: { ok: true, amount: fee.fee } };
}
