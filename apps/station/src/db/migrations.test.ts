import { join } from 'node:path';
import { type Kysely, type Migration, Migrator, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../testing/test-db';
import { openDatabase } from './database';
import { openPostgres } from './dialect/postgres';
import { openSqlite } from './dialect/sqlite';
import type { OpenedDatabase } from './dialect/types';
import { stationMigrations } from './migrations';

const RELAY_STATE = '2026120602_outbox_relay_state';

/** The relay's former history, as shipped: its own bookkeeping tables, run when the relay started. */
const FORMER_RELAY_HISTORY: Record<string, Migration> = {
  '2026112401_outbox_relay_state': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable('outbox')
        .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
        .execute();
      await db.schema.alterTable('outbox').addColumn('last_error', 'text').execute();
      await db.schema.alterTable('outbox').addColumn('reject_code', 'text').execute();
      await db.schema.alterTable('outbox').addColumn('rejected_at', 'text').execute();
      await sql`UPDATE outbox SET status = 'acked' WHERE acked_at IS NOT NULL`.execute(db);
      await db.schema
        .createIndex('outbox_status_key')
        .on('outbox')
        .columns(['status', 'idempotency_key'])
        .execute();
    },
  },
};

async function migrate(db: Kysely<unknown>, migrations: Record<string, Migration>, table?: string) {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    ...(table ? { migrationTableName: table, migrationLockTableName: `${table}_lock` } : {}),
  });
  const { error } = await migrator.migrateToLatest();
  if (error !== undefined) throw error;
}

function openRaw(t: TestDatabase): OpenedDatabase {
  return t.databaseUrl ? openPostgres(t.databaseUrl) : openSqlite(join(t.dataDir, 'station.sqlite'));
}

/** A database as the station left it before the relay's state joined its history. */
async function formerStation(t: TestDatabase, relayRan: boolean): Promise<void> {
  const raw = openRaw(t);
  try {
    const db = raw.db as unknown as Kysely<unknown>;
    const before = Object.fromEntries(
      Object.entries(stationMigrations(raw.ops)).filter(([name]) => name < RELAY_STATE),
    );
    await migrate(db, before);
    await sql`INSERT INTO outbox (id, topic, idempotency_key, payload, created_at, attempts, next_attempt_at, acked_at)
      VALUES ('ob-1', 'exit-record', 'K1', '{}', '2026-11-23T00:00:00Z', 1, '2026-11-23T00:00:00Z', '2026-11-23T00:00:01Z'),
             ('ob-2', 'exit-record', 'K2', '{}', '2026-11-23T00:00:00Z', 0, '2026-11-23T00:00:00Z', NULL)`.execute(
      db,
    );
    if (relayRan) {
      await migrate(db, FORMER_RELAY_HISTORY, 'outbox_relay_migration');
      await sql`UPDATE outbox SET status = 'rejected', reject_code = 'TAC_INVALID' WHERE id = 'ob-2'`.execute(
        db,
      );
    }
  } finally {
    await raw.close();
  }
}

async function tableNames(db: OpenedDatabase): Promise<string[]> {
  return (await db.db.introspection.getTables({ withInternalKyselyTables: true })).map((t) => t.name);
}

for (const dialect of DIALECTS) {
  describe(`${dialect}: one migration history`, () => {
    let t: TestDatabase | undefined;
    let opened: OpenedDatabase | undefined;
    afterEach(async () => {
      await opened?.close();
      await t?.drop();
      opened = undefined;
      t = undefined;
    });

    it('a fresh database gets the relay state from the station history alone', async () => {
      t = await createTestDatabase(dialect);
      opened = await openDatabase({ databaseUrl: t.databaseUrl, dataDir: t.dataDir });
      const outbox = (await opened.db.introspection.getTables()).find((x) => x.name === 'outbox');
      expect(outbox?.columns.map((c) => c.name)).toEqual(
        expect.arrayContaining(['status', 'last_error', 'reject_code', 'rejected_at']),
      );
      expect(await tableNames(opened)).not.toContain('outbox_relay_migration');
    });

    it('upgrades a database whose relay ran its former history, keeping the relay state', async () => {
      t = await createTestDatabase(dialect);
      await formerStation(t, true);
      opened = await openDatabase({ databaseUrl: t.databaseUrl, dataDir: t.dataDir });
      const rows = await opened.db
        .selectFrom('outbox')
        .select(['id', 'status', 'reject_code'])
        .orderBy('id')
        .execute();
      expect(rows).toEqual([
        { id: 'ob-1', status: 'acked', reject_code: null },
        { id: 'ob-2', status: 'rejected', reject_code: 'TAC_INVALID' },
      ]);
      const names = await tableNames(opened);
      expect(names).not.toContain('outbox_relay_migration');
      expect(names).not.toContain('outbox_relay_migration_lock');
      const done = await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name`.execute(
        opened.db,
      );
      expect(done.rows.map((r) => r.name)).toEqual(Object.keys(stationMigrations(opened.ops)).sort());
    });

    it('upgrades a database whose relay never ran: acknowledged rows stay acknowledged', async () => {
      t = await createTestDatabase(dialect);
      await formerStation(t, false);
      opened = await openDatabase({ databaseUrl: t.databaseUrl, dataDir: t.dataDir });
      const rows = await opened.db.selectFrom('outbox').select(['id', 'status']).orderBy('id').execute();
      expect(rows).toEqual([
        { id: 'ob-1', status: 'acked' },
        { id: 'ob-2', status: 'pending' },
      ]);
    });
  });
}
