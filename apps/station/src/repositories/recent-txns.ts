import type { ExitTxnRow } from '../db/schema';

/** How many acknowledged transaction rows stay in memory (the exit path's working set, with room). */
const MAX_ROWS = 4096;

/** A write in progress on one transaction row. */
export interface WriteTicket {
  readonly id: string;
  readonly seq: number;
  /** The row as acknowledged before this write, when it was cached. */
  readonly before: ExitTxnRow | undefined;
}

/**
 * The exit transactions' rows as last acknowledged, so each step of 【读卡】→【提交数据】 does not read its
 * row back from SQLite (~20 µs each: the JSON columns are converted to strings every time). This process
 * is the table's only writer, and every write goes through ExitsRepository, which tells this cache:
 *  - `begin` when a write starts: the row is dropped, and the write gets a ticket;
 *  - `done` when a write was acknowledged (durable): one outside a transaction at once, one inside
 *    `ExitsRepository.inTransaction` once that transaction committed. The row is cached again, but only
 *    if no other write to it started meanwhile (its outcome would then be unknown here);
 *  - `abandon` when a write failed, did not apply outside a transaction, or its `inTransaction` rolled
 *    back. Any other write inside a transaction only begins: its row is read from the database until a
 *    later write.
 * So a cached row is always one the database holds durably, and a miss just reads the database.
 */
export class RecentTxns {
  private readonly rows = new Map<string, ExitTxnRow>();
  /** The latest write started per row; a ticket that is no longer the latest cannot fill the cache. */
  private readonly latest = new Map<string, number>();
  private seq = 0;

  /** The row, frozen: callers build the next row with a spread, never by changing this one. */
  get(id: string): ExitTxnRow | undefined {
    return this.rows.get(id);
  }

  begin(id: string): WriteTicket {
    const before = this.rows.get(id);
    this.rows.delete(id);
    this.seq += 1;
    // Writes inside transactions never report back: bound what they leave here.
    if (this.latest.size >= MAX_ROWS) this.latest.clear();
    this.latest.set(id, this.seq);
    return { id, seq: this.seq, before };
  }

  /** The ticket's write was acknowledged and left the row as `row` (undefined: not known, stay uncached). */
  done(t: WriteTicket, row: ExitTxnRow | undefined): void {
    if (this.latest.get(t.id) !== t.seq) return;
    this.latest.delete(t.id);
    if (!row) return;
    if (this.rows.size >= MAX_ROWS) {
      const oldest = this.rows.keys().next().value;
      if (oldest !== undefined) this.rows.delete(oldest);
    }
    this.rows.set(t.id, Object.freeze({ ...row }));
  }

  /** The ticket's write failed or did not apply: the row stays uncached. */
  abandon(t: WriteTicket): void {
    if (this.latest.get(t.id) === t.seq) this.latest.delete(t.id);
  }
}
