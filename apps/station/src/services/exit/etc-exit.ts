import type { CardReadInput, CheckOptions } from '../exit-checks';
import { etc0019Write } from './card-writes/etc-0019';
import type { ExitParts } from './exit-parts';
import { type EtcRead, etcMedium } from './media/etc';
import {
  type CommitInput,
  type EtcDebit,
  type EtcDebitIntent,
  type EtcDebitOptions,
  type EtcNotDebited,
  etcDebitPayment,
} from './payments/etc-debit';

/** The seed's cell of the exit table: ETC card × its composite purchase × its 0019 exit write. */
export interface EtcExitTypes {
  input: CardReadInput;
  read: EtcRead;
  intent: EtcDebitIntent;
  debit: EtcDebit;
  proof: CommitInput;
  notDebited: EtcNotDebited;
}

export function etcExitParts(opts: CheckOptions & EtcDebitOptions): ExitParts<EtcExitTypes> {
  return {
    medium: etcMedium<EtcExitTypes>({ validNetworks: opts.validNetworks, layout0019: opts.layout0019 }),
    payment: etcDebitPayment<EtcExitTypes>(opts),
    cardWrite: etc0019Write<EtcExitTypes>(),
  };
}
