import type { Selectable } from 'kysely';
import type { AuditLogTable } from '../db/schema';
import type { Executor } from './executor';
import { PreparedQueries, shapeOf } from './prepared';

export type AuditRow = Selectable<AuditLogTable>;

export class AuditRepository {
  // Three statements in every audited write (each commit among them): compiled once (see prepared.ts).
  private readonly q = {
    claim: new PreparedQueries((x, _: Record<string, never>) =>
      x
        .updateTable('audit_head')
        .set((eb) => ({ seq: eb('seq', '+', 1) }))
        .where('id', '=', 1)
        .returning(['seq', 'hash']),
    ),
    append: new PreparedQueries((x, row: AuditRow) => x.insertInto('audit_log').values(row)),
    head: new PreparedQueries((x, p: { hash: string }) =>
      x.updateTable('audit_head').set({ hash: p.hash }).where('id', '=', 1),
    ),
  };

  constructor(private readonly db: Executor) {}

  /** Bumps the chain head; on PostgreSQL the row lock serialises concurrent appends until commit. */
  async claimNext(x: Executor): Promise<{ seq: number; prevHash: string }> {
    const row = await this.q.claim.first(x, {});
    if (!row) throw new Error('audit_head row missing');
    return { seq: Number(row.seq), prevHash: row.hash };
  }

  async append(row: AuditRow, x: Executor): Promise<void> {
    await this.q.append.execute(x, row, shapeOf(row));
    await this.q.head.execute(x, { hash: row.hash });
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
