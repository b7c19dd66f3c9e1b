import type { Selectable } from 'kysely';
import type { AuditLogTable } from '../db/schema';
import type { Executor } from './executor';

export type AuditRow = Selectable<AuditLogTable>;

export class AuditRepository {
  constructor(private readonly db: Executor) {}

  /** Bumps the chain head; on PostgreSQL the row lock serialises concurrent appends until commit. */
  async claimNext(x: Executor): Promise<{ seq: number; prevHash: string }> {
    const row = await x
      .updateTable('audit_head')
      .set((eb) => ({ seq: eb('seq', '+', 1) }))
      .where('id', '=', 1)
      .returning(['seq', 'hash'])
      .executeTakeFirstOrThrow();
    return { seq: Number(row.seq), prevHash: row.hash };
  }

  async append(row: AuditRow, x: Executor): Promise<void> {
    await x.insertInto('audit_log').values(row).execute();
    await x.updateTable('audit_head').set({ hash: row.hash }).where('id', '=', 1).execute();
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
