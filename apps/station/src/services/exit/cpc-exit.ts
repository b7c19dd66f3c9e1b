import type { CpcCommit, CpcPaymentIntent, CpcRead } from '@tollpad/station-api';
import { StationError } from '../../errors';
import { type CpcExitFlagOptions, cpcExitFlagWrite } from './card-writes/cpc-exit-flag';
import type { ExitParts, ExitPayment } from './exit-parts';
import { type CpcExitRead, type CpcRepeatExitOptions, cpcMedium } from './media/cpc';
import type { CpcCheckOptions } from './media/cpc-checks';
import { byMethod } from './payments/by-method';
import { type CashDebit, type CashTypes, cashPayment } from './payments/cash';
import {
  type EtcCardDebit,
  type EtcCardPaymentOptions,
  type EtcCardTypes,
  etcCardPayment,
} from './payments/etc-card';
import { type FreeDebit, type FreeTypes, freePayment } from './payments/free';
import { type QrDebit, type QrPaymentOptions, type QrTypes, qrPayment } from './payments/qr';

/**
 * The CPC's cell of the exit table: CPC × (QR, cash or the driver's ETC card, the collector's choice at the
 * intent) × exit flag.
 */
export interface CpcExitTypes {
  input: CpcRead;
  read: CpcExitRead;
  intent: CpcPaymentIntent;
  debit: CashDebit | QrDebit | EtcCardDebit | FreeDebit;
  proof: CpcCommit;
  notDebited: { cardAtc?: number };
}

export type CpcExitOptions = CpcCheckOptions &
  CpcRepeatExitOptions &
  CpcExitFlagOptions & { qr: QrPaymentOptions; etcCard: EtcCardPaymentOptions };

/**
 * A method that takes no card trade refuses a commit carrying one (it would be a debit no record names), and a
 * card's ATC as its proof of no payment.
 */
function withoutCardProof<T extends CashTypes | QrTypes | FreeTypes>(p: ExitPayment<T>): ExitPayment<T> {
  return {
    ...p,
    verifyProof(debit, proof) {
      if (proof.etcCard)
        throw new StationError('STN_ERR_EXIT_PROOF_MISMATCH', 'an ETC card proof for a non-card payment');
      p.verifyProof(debit, proof);
    },
    verifyNotDebited(debit, proof, x) {
      if ('cardAtc' in proof && proof.cardAtc !== undefined)
        throw new StationError('STN_ERR_EXIT_MEDIUM_MISMATCH', 'a card ATC for a non-card payment');
      return p.verifyNotDebited(debit, proof, x);
    },
  };
}

export function cpcExitParts(opts: CpcExitOptions): ExitParts<CpcExitTypes> {
  const cash = withoutCardProof(cashPayment());
  const etcCard = etcCardPayment(opts.etcCard);
  return {
    medium: cpcMedium<CpcExitTypes>({
      validAreas: opts.validAreas,
      timeBase: opts.timeBase,
      repeatExitWindowMs: opts.repeatExitWindowMs,
    }),
    payment: byMethod<
      CpcExitTypes,
      { cash: CashTypes; qr: QrTypes; 'etc-card': EtcCardTypes; free: FreeTypes }
    >(
      {
        cash,
        qr: withoutCardProof(qrPayment(opts.qr)),
        'etc-card': etcCard,
        // A fee-0 exit (a passed 绿通查验…): nothing taken, the card write commits it.
        free: withoutCardProof(freePayment()),
      },
      'cash',
      // QR and cash share cash's digest, so records committed before QR replay unchanged; a card's proof
      // joins its own.
      (txnId, proof) => (proof.etcCard ? etcCard.digest(txnId, proof) : cash.digest(txnId, proof)),
    ),
    cardWrite: cpcExitFlagWrite<CpcExitTypes>({ writeFailedSpecial: opts.writeFailedSpecial }),
  };
}
