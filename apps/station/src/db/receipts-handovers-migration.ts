import { type Kysely, type Migration, sql } from 'kysely';
import type { DialectOps } from './dialect/types';

/**
 * Receipts printed and reprinted (payments.md §8) and the shift's hand-over with the cash counted (§9): the
 * print log is append-only (a print is a fact of the past), one hand-over per shift by the key.
 */
export function receiptsHandoversMigration(ops: DialectOps): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('receipt_prints')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('trade_id', 'text', (c) => c.notNull())
        .addColumn('shift_id', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('receipt_prints_shift').on('receipt_prints').column('shift_id').execute();
      for (const stmt of ops.appendOnlyTriggers('receipt_prints')) await sql.raw(stmt).execute(db);
      await db.schema
        .createTable('shift_handovers')
        .addColumn('shift_id', 'text', (c) => c.primaryKey())
        .addColumn('cash_counted', 'integer', (c) => c.notNull())
        .addColumn('closed_by', 'text', (c) => c.notNull())
        .addColumn('remark', 'text')
        .addColumn('at', 'text', (c) => c.notNull())
        .execute();
    },
  };
}
