import type { CpcCommit, CpcPaymentIntent, NoCardRead, NoneCommit } from '@tollpad/station-api';
import { noCardWrite } from './card-writes/none';
import type { ExitParts } from './exit-parts';
import { type NoCardRepeatOptions, type NoneExitRead, noneMedium } from './media/none';
import { type CpcMethodDebit, cpcMethodsPayment } from './payments/cpc-methods';
import type { EtcCardPaymentOptions } from './payments/etc-card';
import type { FreeDebit } from './payments/free';
import type { QrPaymentOptions } from './payments/qr';

/**
 * The no-card cell of the exit table (DESIGN.md §7): none × (QR, cash or the driver's ETC card — the payments
 * a CPC takes, the collector's choice at the intent) × no card write.
 */
export interface NoneExitTypes {
  input: NoCardRead;
  read: NoneExitRead;
  intent: CpcPaymentIntent;
  debit: CpcMethodDebit | FreeDebit;
  proof: NoneCommit;
  notDebited: { cardAtc?: number };
}

export type NoneExitOptions = NoCardRepeatOptions & { qr: QrPaymentOptions; etcCard: EtcCardPaymentOptions };

export function noneExitParts(opts: NoneExitOptions): ExitParts<NoneExitTypes> {
  return {
    medium: noneMedium<NoneExitTypes>(opts),
    // The CPC's payment parts, as they are: their proofs read the trade ID and the ETC card's purchase proof
    // only, which a no-card commit carries the same way (its cardWrite 'none' joins the digest like a CPC's).
    payment: cpcMethodsPayment<NoneExitTypes>(
      { qr: opts.qr, etcCard: opts.etcCard, free: true },
      asPaymentProof,
    ),
    cardWrite: noCardWrite<NoneExitTypes>(),
  };
}

/**
 * The payments' proof type is the CPC commit's; a no-card commit has the same trade ID and ETC card proof and
 * no write outcome to report (no reason, no card error), which is all the payments read of it.
 */
function asPaymentProof(proof: NoneCommit): CpcCommit {
  return proof as unknown as CpcCommit;
}
