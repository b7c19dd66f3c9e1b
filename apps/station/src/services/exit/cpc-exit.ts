import type { CpcCommit, CpcPaymentIntent, CpcRead } from '@tollpad/station-api';
import { StationError } from '../../errors';
import { type CpcExitFlagOptions, cpcExitFlagWrite } from './card-writes/cpc-exit-flag';
import type { ExitParts, ExitPayment } from './exit-parts';
import { type CpcExitRead, type CpcRepeatExitOptions, cpcMedium } from './media/cpc';
import type { CpcCheckOptions } from './media/cpc-checks';
import { type CashDebit, type CashTypes, cashPayment } from './payments/cash';
import { type QrDebit, type QrPaymentOptions, type QrTypes, qrPayment } from './payments/qr';

/** The CPC's cell of the exit table: CPC × (QR or cash, the collector's choice at the intent) × exit flag. */
export interface CpcExitTypes {
  input: CpcRead;
  read: CpcExitRead;
  intent: CpcPaymentIntent;
  debit: CashDebit | QrDebit;
  proof: CpcCommit;
  notDebited: object;
}

export type CpcExitOptions = CpcCheckOptions &
  CpcRepeatExitOptions &
  CpcExitFlagOptions & { qr: QrPaymentOptions };

/**
 * One payment part per method, chosen by the intent's `payment` and afterwards by what the debit kept: a
 * pending cash intent is never answered by the QR part, nor the other way round.
 */
function qrOrCash(qr: ExitPayment<QrTypes>, cash: ExitPayment<CashTypes>): ExitPayment<CpcExitTypes> {
  return {
    id: 'qr-or-cash',
    payable: (read, amount) => cash.payable(read, amount),
    announce: (t, intent, ctx) =>
      intent.payment === 'qr' ? qr.announce(t, intent, ctx) : cash.announce(t, intent, ctx),
    reannounce(pending, intent, now) {
      if (pending.payment === 'qr' && intent.payment === 'qr') return qr.reannounce(pending, intent, now);
      if (pending.payment === 'cash' && intent.payment === 'cash')
        return cash.reannounce(pending, intent, now);
      throw new StationError('STN_ERR_EXIT_BAD_STATE', 'a different payment is already pending');
    },
    open: async (t, debit, tradeId, x) =>
      debit.payment === 'qr' && qr.open ? qr.open(t, debit, tradeId, x) : debit,
    launch: (debit) => (debit.payment === 'qr' ? qr.launch?.(debit) : undefined),
    captured: async (t, debit) => (debit.payment === 'qr' && qr.captured ? qr.captured(t, debit) : debit),
    bind: async (debit, tradeId, x) => (debit.payment === 'qr' ? qr.bind?.(debit, tradeId, x) : undefined),
    verifyProof: (debit, proof) =>
      debit.payment === 'qr' ? qr.verifyProof(debit, proof) : cash.verifyProof(debit, proof),
    // Cash keeps its digest, so records committed before QR replay unchanged.
    digest: (txnId, proof) => cash.digest(txnId, proof),
    recordFields: (read, debit, proof) =>
      debit.payment === 'qr' ? qr.recordFields(read, debit, proof) : cash.recordFields(read, debit, proof),
    verifyNotDebited: (debit, proof, x) =>
      debit.payment === 'qr' ? qr.verifyNotDebited(debit, proof, x) : cash.verifyNotDebited(debit, proof, x),
  };
}

export function cpcExitParts(opts: CpcExitOptions): ExitParts<CpcExitTypes> {
  return {
    medium: cpcMedium<CpcExitTypes>({
      validAreas: opts.validAreas,
      timeBase: opts.timeBase,
      repeatExitWindowMs: opts.repeatExitWindowMs,
    }),
    payment: qrOrCash(qrPayment(opts.qr), cashPayment()),
    cardWrite: cpcExitFlagWrite<CpcExitTypes>({ writeFailedSpecial: opts.writeFailedSpecial }),
  };
}
