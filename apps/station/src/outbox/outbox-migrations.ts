import { runMigrations } from '@tollpad/server-kit';
import type { Kysely, Migration } from 'kysely';
import type { Database } from '../db/schema';

/**
 * Relay state on the outbox rows (status, last error, refusal code). Kept in its own migration history
 * (own bookkeeping tables) so the relay can evolve without touching the station's shipped migrations.
 */
const MIGRATIONS: Record<string, Migration> = {
  '2026112401_outbox_relay_state': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable('outbox')
        .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
        .execute();
      await db.schema.alterTable('outbox').addColumn('last_error', 'text').execute();
      await db.schema.alterTable('outbox').addColumn('reject_code', 'text').execute();
      await db.schema.alterTable('outbox').addColumn('rejected_at', 'text').execute();
      // Rows written before the relay existed and already acknowledged keep that state.
      await db
        .updateTable('outbox' as never)
        .set({ status: 'acked' } as never)
        .where('acked_at' as never, 'is not', null)
        .execute();
      await db.schema
        .createIndex('outbox_status_key')
        .on('outbox')
        .columns(['status', 'idempotency_key'])
        .execute();
    },
  },
};

export async function migrateOutboxRelay(db: Kysely<Database>): Promise<void> {
  await runMigrations(db, MIGRATIONS, {
    label: 'outbox relay migration',
    migrationTableName: 'outbox_relay_migration',
    migrationLockTableName: 'outbox_relay_migration_lock',
  });
}
