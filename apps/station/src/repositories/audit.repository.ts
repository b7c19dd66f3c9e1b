import type { Insertable, Selectable } from 'kysely';
import type { AuditLogTable, AuditPendingTable } from '../db/schema';
import type { Executor } from './executor';
import { PreparedQueries, shapeOf } from './prepared';

export type AuditRow = Selectable<AuditLogTable>;
export type PendingAuditRow = Selectable<AuditPendingTable>;

export class AuditRepository {
  // The statement in every audited write (each commit among them): compiled once (see prepared.ts).
  private readonly q = {
    pending: new PreparedQueries((x, row: Insertable<AuditPendingTable>) =>
      x.insertInto('audit_pending').values(row),
    ),
  };

  constructor(private readonly db: Executor) {}

  /** An entry that commits with the caller's change; the appender chains it afterwards. */
  async insertPending(row: PendingAuditRow, x: Executor): Promise<void> {
    await this.q.pending.execute(x, row, shapeOf(row));
  }

  /** Whether any committed entry waits to be chained (a read outside any transaction). */
  async anyPending(): Promise<boolean> {
    const row = await this.db.selectFrom('audit_pending').select('id').limit(1).executeTakeFirst();
    return row !== undefined;
  }

  /**
   * The chain's head, claimed for the rest of `x`: a no-op update takes the row's lock on PostgreSQL (and
   * the write lock on SQLite), so a second appender, in this process or another, waits for this one's commit.
   */
  async claimHead(x: Executor): Promise<{ seq: number; hash: string }> {
    const row = await x
      .updateTable('audit_head')
      .set((eb) => ({ seq: eb.ref('seq') }))
      .where('id', '=', 1)
      .returning(['seq', 'hash'])
      .executeTakeFirst();
    if (!row) throw new Error('audit_head row missing');
    return { seq: Number(row.seq), hash: row.hash };
  }

  /** The oldest entries waiting, read after claimHead: none of them can be chained by anyone else. */
  oldestPending(limit: number, x: Executor): Promise<PendingAuditRow[]> {
    return x.selectFrom('audit_pending').selectAll().orderBy('id').limit(limit).execute();
  }

  /** Chained entries in, their pending rows out, the head moved to the last: all in the claim's transaction. */
  async appendChained(rows: AuditRow[], pendingIds: string[], x: Executor): Promise<void> {
    const last = rows.at(-1);
    if (!last) return;
    await x.insertInto('audit_log').values(rows).execute();
    // The engine lets a pending entry go only once it is named here (the guard of audit_pending).
    await x
      .insertInto('audit_chained')
      .values(pendingIds.map((id, i) => ({ pending_id: id, seq: rows[i]!.seq })))
      .execute();
    await x.deleteFrom('audit_pending').where('id', 'in', pendingIds).execute();
    await x.updateTable('audit_head').set({ seq: last.seq, hash: last.hash }).where('id', '=', 1).execute();
  }

  head(): Promise<{ seq: number; hash: string }> {
    return this.db
      .selectFrom('audit_head')
      .select(['seq', 'hash'])
      .where('id', '=', 1)
      .executeTakeFirstOrThrow();
  }

  page(afterSeq: number, limit: number): Promise<AuditRow[]> {
    return this.db
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '>', afterSeq)
      .orderBy('seq')
      .limit(limit)
      .execute();
  }
}
