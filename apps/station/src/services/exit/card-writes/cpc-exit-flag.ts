import { type CardErrorCode, CPC_EXIT_SPECIAL_TYPES } from '@tollpad/card';
import type { CpcCloseCardError, CpcCommit } from '@tollpad/station-api';
import { StationError } from '../../../errors';
import type { ExitCardWrite, ExitTypes } from '../exit-parts';

export interface CpcExitFlagOptions {
  /**
   * The special a record notes when the exit write failed after the payment: Fujian's 523 "CPC写卡失败过车"
   * [S TCS EM_SpecialType]; another province sets its own code (cpc-card.md §6 step 4).
   */
  writeFailedSpecial: number;
}

/** The wire's close codes are the card catalogue's: a code renamed there fails to compile here. */
const asCardCode = (c: CpcCloseCardError): CardErrorCode => c satisfies CardErrorCode;

/**
 * The `cpc-exit-flag` write (cpc-card.md §6): after the payment, the handheld authenticates and writes
 * DF01/EF01 bytes 23–24 = 02 02 (radio off, exited), then reads them back. The commit says whether it
 * was written; a failed write is noted on the record and never undoes the payment (DESIGN.md §7). The card
 * layer's reason adds the national special it names (34 UK1 locked, 35 damaged; cpc-card.md §5.1), by the
 * card package's own table.
 */
export function cpcExitFlagWrite<T extends ExitTypes & { proof: CpcCommit }>(
  opts: CpcExitFlagOptions,
): ExitCardWrite<T> {
  return {
    id: 'cpc-exit-flag',
    timing: 'after-payment',
    specials(proof) {
      if (proof.cardWrite !== 'not-written') return [];
      const card =
        proof.cardError === undefined ? undefined : CPC_EXIT_SPECIAL_TYPES[asCardCode(proof.cardError)];
      return card === undefined ? [opts.writeFailedSpecial] : [card, opts.writeFailedSpecial];
    },
    verifyProof(proof) {
      if (proof.cardError !== undefined && proof.cardWrite !== 'not-written')
        throw new StationError('STN_ERR_REQ_INVALID', 'cardError: only with cardWrite not-written');
    },
  };
}
