import type { Kysely, Migration } from 'kysely';

/**
 * The refunds of captured QR payments (issue #21; payments.md §5): one row per refund a monitor asked for,
 * written with its platform refund number BEFORE the platform is asked, so a lost answer or a restart asks
 * again under the same number (never a second refund). `request_id` is the client's idempotency key.
 */
export const refundsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('refunds')
      .addColumn('refund_no', 'text', (c) => c.primaryKey())
      .addColumn('request_id', 'text', (c) => c.notNull().unique())
      .addColumn('pay_id', 'text', (c) => c.notNull())
      .addColumn('out_trade_no', 'text', (c) => c.notNull())
      .addColumn('txn_id', 'text', (c) => c.notNull())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('amount', 'integer', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('refusal', 'text')
      .addColumn('refunded_at', 'text')
      .addColumn('tries', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('refunds_trade')
      .on('refunds')
      .columns(['out_trade_no', 'seq'])
      .unique()
      .execute();
    await db.schema.createIndex('refunds_pay').on('refunds').column('pay_id').execute();
    await db.schema.createIndex('refunds_state').on('refunds').column('state').execute();
  },
};
