import type { ExitRecordRow, ExitTxnRow } from '../db/schema';
import { StationError } from '../errors';
import type { ShiftsRepository } from '../repositories/shifts.repository';
import type { Principal } from './auth.service';

/** Who made a transaction (its row, or the record it ended in). */
export type ExitOwner = Pick<ExitTxnRow | ExitRecordRow, 'terminal_id' | 'shift_id' | 'collector_id'>;

/**
 * A collector acts on, and sees, only the transactions of their own terminal and open shift; monitors and
 * admins act for the whole station (what each role may call at all is the route's access list).
 */
export class ExitOwnership {
  constructor(private readonly shifts: ShiftsRepository) {}

  async require(p: Principal, owner: ExitOwner): Promise<void> {
    if (p.role !== 'collector') return;
    if (owner.collector_id === p.accountId && owner.terminal_id === p.terminalId) {
      // The shift that opened the transaction must still be the collector's open one: after 交班 the
      // transaction is the station's (a monitor finishes or recovers it), not the next session's.
      const open = await this.shifts.findOpen(p.accountId);
      if (open?.id === owner.shift_id) return;
    }
    throw new StationError('STN_ERR_EXIT_NOT_YOURS');
  }
}
