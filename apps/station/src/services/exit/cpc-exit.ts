import type { CpcCommit, CpcPaymentIntent, CpcRead } from '@tollpad/station-api';
import { type CpcExitFlagOptions, cpcExitFlagWrite } from './card-writes/cpc-exit-flag';
import type { ExitParts } from './exit-parts';
import { type CpcExitRead, type CpcRepeatExitOptions, cpcMedium } from './media/cpc';
import type { CpcCheckOptions } from './media/cpc-checks';
import { type CashDebit, cashConfirmedPayment } from './payments/cash-confirmed';

/** The CPC's cell of the exit table: CPC × cash the collector confirms (until the payments issue) × exit flag. */
export interface CpcExitTypes {
  input: CpcRead;
  read: CpcExitRead;
  intent: CpcPaymentIntent;
  debit: CashDebit;
  proof: CpcCommit;
  notDebited: object;
}

export type CpcExitOptions = CpcCheckOptions & CpcRepeatExitOptions & CpcExitFlagOptions;

export function cpcExitParts(opts: CpcExitOptions): ExitParts<CpcExitTypes> {
  return {
    medium: cpcMedium<CpcExitTypes>({
      validAreas: opts.validAreas,
      timeBase: opts.timeBase,
      repeatExitWindowMs: opts.repeatExitWindowMs,
    }),
    payment: cashConfirmedPayment<CpcExitTypes>(),
    cardWrite: cpcExitFlagWrite<CpcExitTypes>({ writeFailedSpecial: opts.writeFailedSpecial }),
  };
}
