import type { CpcCommit } from '@tollpad/station-api';
import type { ExitCardWrite, ExitTypes } from '../exit-parts';

export interface CpcExitFlagOptions {
  /**
   * The special a record notes when the exit write failed after the payment: Fujian's 523 "CPC写卡失败过车"
   * [S TCS EM_SpecialType]; another province sets its own code (cpc-card.md §6 step 4).
   */
  writeFailedSpecial: number;
}

/**
 * The `cpc-exit-flag` write (cpc-card.md §6): after the payment, the handheld authenticates and writes
 * DF01/EF01 bytes 23–24 = 02 02 (radio off, exited), then reads them back. The commit says whether it
 * was written; a failed write is noted on the record and never undoes the payment (DESIGN.md §7).
 */
export function cpcExitFlagWrite<T extends ExitTypes & { proof: CpcCommit }>(
  opts: CpcExitFlagOptions,
): ExitCardWrite<T> {
  return {
    id: 'cpc-exit-flag',
    timing: 'after-payment',
    specials: (proof) => (proof.cardWrite === 'not-written' ? [opts.writeFailedSpecial] : []),
  };
}
