import type { ExitRecordRow } from '../db/schema';
import type { ExitService } from '../services/exit.service';

/**
 * Calls `fn` after every successful commit or debited recovery of the exit service (wraps the two
 * methods of this instance; the record is already durable when `fn` runs). A listener error is
 * swallowed: the collector's answer never depends on the lane or the centre.
 */
export function onRecordCommitted(
  exits: ExitService,
  fn: (row: ExitRecordRow, replayed: boolean) => void,
): void {
  const commit = exits.commit.bind(exits);
  const recover = exits.recover.bind(exits);
  const call = (row: ExitRecordRow, replayed: boolean) => {
    try {
      fn(row, replayed);
    } catch {
      // listener failures must not fail the commit
    }
  };
  exits.commit = async (...args) => {
    const r = await commit(...args);
    call(r.record, r.replayed);
    return r;
  };
  exits.recover = async (...args) => {
    const r = await recover(...args);
    if (r.record) call(r.record, false);
    return r;
  };
}
