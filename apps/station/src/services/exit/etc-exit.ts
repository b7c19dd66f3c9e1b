import type { CardRead, Commit, DebitIntent } from '@tollpad/station-api';
import { etc0019Write } from './card-writes/etc-0019';
import type { ExitParts } from './exit-parts';
import { type EtcRead, etcMedium } from './media/etc';
import type { CheckOptions } from './media/etc-checks';
import {
  type EtcDebit,
  type EtcDebitOptions,
  type EtcNotDebited,
  etcDebitPayment,
} from './payments/etc-debit';

/** The seed's cell of the exit table: ETC card × its composite purchase × its 0019 exit write. */
export interface EtcExitTypes {
  input: CardRead;
  read: EtcRead;
  intent: DebitIntent;
  debit: EtcDebit;
  proof: Commit;
  notDebited: EtcNotDebited;
}

export function etcExitParts(opts: CheckOptions & EtcDebitOptions): ExitParts<EtcExitTypes> {
  return {
    medium: etcMedium<EtcExitTypes>({ validNetworks: opts.validNetworks, layout0019: opts.layout0019 }),
    payment: etcDebitPayment<EtcExitTypes>(opts),
    cardWrite: etc0019Write<EtcExitTypes>(),
  };
}
