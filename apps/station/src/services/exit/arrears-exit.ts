import type { CpcCommit, CpcPaymentIntent } from '@tollpad/station-api';
import { StationError } from '../../errors';
import type { Executor } from '../../repositories/executor';
import { readJsonColumn } from '../json-columns';
import type { ExitParts, ExitPayment } from './exit-parts';
import { type ArrearsExitRead, arrearsMedium } from './media/arrears';
import { type CpcMethodDebit, cpcMethodsPayment } from './payments/cpc-methods';
import type { EtcCardPaymentOptions } from './payments/etc-card';
import type { QrPaymentOptions } from './payments/qr';

/**
 * The payback's cell of the exit table (补缴): medium `arrears` × fee = the owed sum × QR, cash or the driver's ETC
 * card (the CPC exit's payment parts) × no card write. Its proof takes the CPC commit's shape (the parts' digest
 * and the ETC card's proof read it); `cardWrite` is fixed by the payback service, nothing is written.
 */
export interface ArrearsExitTypes {
  input: never;
  read: ArrearsExitRead;
  intent: CpcPaymentIntent;
  debit: CpcMethodDebit;
  proof: CpcCommit;
  notDebited: { cardAtc?: number };
}

/** What the cell needs of the claim table (exit_pass_claims, ExitsRepository). */
export interface EntryClaims {
  claimOnce(key: string, holder: string, at: string, x: Executor): Promise<boolean>;
  passClaimOf(key: string, x?: Executor): Promise<string | undefined>;
}

/** An arrears entry's claim key in exit_pass_claims (beside the PassIDs; released with them on "not paid"). */
export const arrearsClaimKey = (entryId: string) => `ARREARS:${entryId}`;

export interface ArrearsExitOptions {
  qr: QrPaymentOptions;
  etcCard: EtcCardPaymentOptions;
  claims: EntryClaims;
}

/**
 * One payment per arrears entry: the intent's transaction claims every entry it pays for (exit_pass_claims, one
 * statement each), so two handhelds paying the same entry cannot both announce — the second is refused
 * (STN_ERR_ARREARS_CLAIMED) before any money moves. The claims go with the payback's PassID claim when its
 * intent is undone ("not paid", releasePass) and stay once it is committed (an entry is paid once).
 */
function claimingEntries(
  p: ExitPayment<ArrearsExitTypes>,
  claims: EntryClaims,
): ExitPayment<ArrearsExitTypes> {
  return {
    ...p,
    async open(t, debit, tradeId, x) {
      const read = readJsonColumn<ArrearsExitRead>(t.read_json);
      for (const entryId of read.input.entryIds) {
        const key = arrearsClaimKey(entryId);
        if (await claims.claimOnce(key, t.id, debit.announcedAt, x)) continue;
        const holder = await claims.passClaimOf(key, x);
        if (holder !== t.id) throw new StationError('STN_ERR_ARREARS_CLAIMED', `${entryId}`);
      }
      return p.open ? p.open(t, debit, tradeId, x) : debit;
    },
  };
}

export function arrearsExitParts(opts: ArrearsExitOptions): ExitParts<ArrearsExitTypes> {
  const methods = cpcMethodsPayment<ArrearsExitTypes>({ qr: opts.qr, etcCard: opts.etcCard });
  return {
    medium: arrearsMedium<ArrearsExitTypes>(),
    payment: claimingEntries(methods, opts.claims),
    cardWrite: { id: 'none', timing: 'none', specials: () => [] },
  };
}
