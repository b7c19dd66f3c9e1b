import type { CpcCommit, CpcPaymentIntent, CpcRead } from '@tollpad/station-api';
import { type CpcExitFlagOptions, cpcExitFlagWrite } from './card-writes/cpc-exit-flag';
import type { ExitParts } from './exit-parts';
import { type CpcExitRead, type CpcRepeatExitOptions, cpcMedium } from './media/cpc';
import type { CpcCheckOptions } from './media/cpc-checks';
import { type CpcMethodDebit, cpcMethodsPayment } from './payments/cpc-methods';
import type { EtcCardPaymentOptions } from './payments/etc-card';
import type { FreeDebit } from './payments/free';
import type { QrPaymentOptions } from './payments/qr';

/**
 * The CPC's cell of the exit table: CPC × (QR, cash or the driver's ETC card, the collector's choice at the
 * intent) × exit flag.
 */
export interface CpcExitTypes {
  input: CpcRead;
  read: CpcExitRead;
  intent: CpcPaymentIntent;
  debit: CpcMethodDebit | FreeDebit;
  proof: CpcCommit;
  notDebited: { cardAtc?: number };
}

export type CpcExitOptions = CpcCheckOptions &
  CpcRepeatExitOptions &
  CpcExitFlagOptions & { qr: QrPaymentOptions; etcCard: EtcCardPaymentOptions };

export function cpcExitParts(opts: CpcExitOptions): ExitParts<CpcExitTypes> {
  return {
    medium: cpcMedium<CpcExitTypes>({
      validAreas: opts.validAreas,
      timeBase: opts.timeBase,
      repeatExitWindowMs: opts.repeatExitWindowMs,
    }),
    payment: cpcMethodsPayment<CpcExitTypes>({ qr: opts.qr, etcCard: opts.etcCard, free: true }),
    cardWrite: cpcExitFlagWrite<CpcExitTypes>({ writeFailedSpecial: opts.writeFailedSpecial }),
  };
}
