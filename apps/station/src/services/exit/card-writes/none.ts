import type { NoneCommit } from '@tollpad/station-api';
import { StationError } from '../../../errors';
import type { ExitCardWrite, ExitTypes } from '../exit-parts';

/** No card, nothing written (DESIGN.md §7, the `none` row): the commit says so and adds no special. */
export function noCardWrite<T extends ExitTypes & { proof: NoneCommit }>(): ExitCardWrite<T> {
  return {
    id: 'none',
    timing: 'none',
    specials: () => [],
    verifyProof(proof) {
      if (proof.cardWrite !== 'none') throw new StationError('STN_ERR_EXIT_MEDIUM_MISMATCH', 'a card write');
    },
  };
}
