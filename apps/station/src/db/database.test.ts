import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../testing/test-db';
import { useTestDatabase } from '../testing/use-test-database';
import { openDatabase } from './database';

for (const dialect of DIALECTS) {
  describe(`${dialect}: database`, () => {
    const db = useTestDatabase(dialect);

    it('migrates and is idempotent on a second run', async () => {
      const again = await openDatabase({ databaseUrl: db.t.databaseUrl, dataDir: db.t.dataDir });
      await again.close();
      const head = await db.opened.db.selectFrom('audit_head').selectAll().executeTakeFirstOrThrow();
      expect(head.seq).toBe(0);
    });

    it('indexes exit_txns by shift (the shift report) and not by card (no query asks)', async () => {
      const names =
        dialect === 'sqlite'
          ? await sql<{ name: string }>`SELECT name FROM pragma_index_list('exit_txns')`.execute(db.opened.db)
          : await sql<{
              name: string;
            }>`SELECT indexname AS name FROM pg_indexes WHERE tablename = 'exit_txns'`.execute(db.opened.db);
      const list = names.rows.map((r) => r.name);
      expect(list).toEqual(expect.arrayContaining(['exit_txns_shift', 'exit_txns_lane_state']));
      expect(list).not.toContain('exit_txns_card');
    });

    it('makes exit_records append-only at the engine level', async () => {
      const now = new Date().toISOString();
      await db.opened.db
        .insertInto('exit_records')
        .values({
          trade_id: 'T1',
          txn_id: null,
          kind: 'exit',
          supersedes: null,
          pass_id: 'P',
          lane_id: 'L',
          terminal_id: 'H',
          shift_id: 'S',
          collector_id: 'C',
          card_no: '1',
          vehicle_id: '京A12345_0',
          ex_time: now,
          special_types: '||',
          exit_fee_type: 1,
          vehicle_class: 1,
          vehicle_kind: 0,
          fee: 100,
          pay_fee: 100,
          auth_by: null,
          commit_digest: 'x',
          record_json: '{}',
          created_at: now,
        })
        .execute();
      await expect(db.opened.db.updateTable('exit_records').set({ fee: 1 }).execute()).rejects.toThrow(
        /append-only/,
      );
      await expect(db.opened.db.deleteFrom('exit_records').execute()).rejects.toThrow(/append-only/);
      const row = await db.opened.db.selectFrom('exit_records').select('fee').executeTakeFirstOrThrow();
      expect(row.fee).toBe(100);
    });

    it('classifies a unique violation', async () => {
      const insert = () =>
        db.opened.db.insertInto('settings').values({ key: 'k', value: 'v', updated_at: 'now' }).execute();
      await insert();
      const e = await insert().catch((x: unknown) => x);
      expect(db.opened.ops.isUniqueViolation(e)).toBe(true);
      expect(db.opened.ops.isUnavailable(e)).toBe(false);
    });

    if (dialect === 'sqlite') {
      // NORMAL: COMMIT writes the WAL and the group-commit driver flushes it before acknowledging
      // (server-kit wal-sync.ts) — FULL's durability without its fsync on the event loop.
      it('runs WAL with synchronous=NORMAL plus the WAL flush', async () => {
        const mode = await sql<{ journal_mode: string }>`PRAGMA journal_mode`.execute(db.opened.db);
        const sync = await sql<{ synchronous: number }>`PRAGMA synchronous`.execute(db.opened.db);
        expect(mode.rows[0]?.journal_mode).toBe('wal');
        expect(sync.rows[0]?.synchronous).toBe(1);
      });
    }
  });
}
