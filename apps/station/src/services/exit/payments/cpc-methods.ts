import type { CpcCommit } from '@tollpad/station-api';
import { StationError } from '../../../errors';
import type { ExitPayment, ExitTypes } from '../exit-parts';
import { byMethod } from './by-method';
import { type CashDebit, type CashTypes, cashPayment } from './cash';
import { type EtcCardDebit, type EtcCardPaymentOptions, type EtcCardTypes, etcCardPayment } from './etc-card';
import { type FreeTypes, freePayment } from './free';
import { type QrDebit, type QrPaymentOptions, type QrTypes, qrPayment } from './qr';

/** The methods a CPC exit is paid by (the no-card exit and the arrears payback take the same). */
export type CpcMethods = { cash: CashTypes; qr: QrTypes; 'etc-card': EtcCardTypes };
export type CpcMethodDebit = CashDebit | QrDebit | EtcCardDebit;

export interface CpcMethodsOptions {
  qr: QrPaymentOptions;
  etcCard: EtcCardPaymentOptions;
  /** Also `free`, for a fee-0 exit (a passed 绿通查验…): nothing taken. A payback is never free. */
  free?: boolean;
}

type CpcMethodCell = ExitTypes & { intent: { payment: string }; debit: { payment?: string } };

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

/**
 * The payment of a cell paid like a CPC: QR, cash or the driver's ETC card (and `free` when asked), the
 * collector's choice at the intent, cash for debits stored before they named one. The parts read the CPC
 * commit's trade ID and ETC card proof only; a cell whose proof has another type says how it reads as one.
 */
export function cpcMethodsPayment<T extends CpcMethodCell & { proof: CpcCommit }>(
  opts: CpcMethodsOptions,
): ExitPayment<T>;
export function cpcMethodsPayment<T extends CpcMethodCell>(
  opts: CpcMethodsOptions,
  asCpcProof: (proof: T['proof']) => CpcCommit,
): ExitPayment<T>;
export function cpcMethodsPayment<T extends CpcMethodCell>(
  opts: CpcMethodsOptions,
  asCpcProof: (proof: T['proof']) => CpcCommit = (proof) => proof as CpcCommit,
): ExitPayment<T> {
  const cash = withoutCardProof(cashPayment());
  const etcCard = etcCardPayment(opts.etcCard);
  const methods = { cash, qr: withoutCardProof(qrPayment(opts.qr)), 'etc-card': etcCard };
  // QR and cash share cash's digest, so records committed before QR replay unchanged; a card's proof joins
  // its own.
  const digest = (txnId: string, proof: T['proof']) => {
    const p = asCpcProof(proof);
    return p.etcCard ? etcCard.digest(txnId, p) : cash.digest(txnId, p);
  };
  return opts.free
    ? byMethod<T, CpcMethods & { free: FreeTypes }>(
        { ...methods, free: withoutCardProof(freePayment()) },
        'cash',
        digest,
      )
    : byMethod<T, CpcMethods>(methods, 'cash', digest);
}
