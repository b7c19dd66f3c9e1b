import type { CpcPaymentIntent, NoCardRead, NoneCommit } from '@tollpad/station-api';
import { StationError } from '../../errors';
import { noCardWrite } from './card-writes/none';
import type { ExitParts, ExitPayment } from './exit-parts';
import { type NoCardRepeatOptions, type NoneExitRead, noneMedium } from './media/none';
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
 * The no-card cell of the exit table (DESIGN.md §7): none × (QR, cash or the driver's ETC card — the payments
 * a CPC takes, the collector's choice at the intent) × no card write.
 */
export interface NoneExitTypes {
  input: NoCardRead;
  read: NoneExitRead;
  intent: CpcPaymentIntent;
  debit: CashDebit | QrDebit | EtcCardDebit | FreeDebit;
  proof: NoneCommit;
  notDebited: { cardAtc?: number };
}

export type NoneExitOptions = NoCardRepeatOptions & { qr: QrPaymentOptions; etcCard: EtcCardPaymentOptions };

/** Cash and QR take no card trade: a commit carrying one, or a card ATC as proof of no payment, is refused. */
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

export function noneExitParts(opts: NoneExitOptions): ExitParts<NoneExitTypes> {
  // The CPC's payment parts, as they are: their proofs read the trade ID and the ETC card's purchase proof
  // only, which a no-card commit carries the same way (its cardWrite 'none' joins the digest like a CPC's).
  const cash = withoutCardProof(cashPayment());
  const etcCard = etcCardPayment(opts.etcCard);
  return {
    medium: noneMedium<NoneExitTypes>(opts),
    payment: byMethod<
      NoneExitTypes,
      { cash: CashTypes; qr: QrTypes; 'etc-card': EtcCardTypes; free: FreeTypes }
    >(
      {
        cash,
        qr: withoutCardProof(qrPayment(opts.qr)),
        'etc-card': etcCard,
        // A fee-0 exit (a passed 绿通查验…): nothing taken.
        free: withoutCardProof(freePayment()),
      },
      'cash',
      (txnId, proof) =>
        proof.etcCard
          ? etcCard.digest(txnId, asPaymentProof(proof))
          : cash.digest(txnId, asPaymentProof(proof)),
    ),
    cardWrite: noCardWrite<NoneExitTypes>(),
  };
}

/**
 * The payments' proof type is the CPC commit's; a no-card commit has the same trade ID and ETC card proof and
 * no write outcome to report (no reason, no card error), which is all the payments read of it.
 */
function asPaymentProof(proof: NoneCommit): CashTypes['proof'] {
  return proof as unknown as CashTypes['proof'];
}
