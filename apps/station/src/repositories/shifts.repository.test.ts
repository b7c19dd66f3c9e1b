import { beforeAll, describe, expect, it } from 'vitest';
import type { ShiftRow } from '../db/schema';
import { DIALECTS } from '../testing/test-db';
import { useTestDatabase } from '../testing/use-test-database';
import { ShiftsRepository } from './shifts.repository';

const TEST_OPENED_AT = '2026-11-23T08:00:00.000Z';

for (const dialect of DIALECTS) {
  describe(`${dialect}: shifts repository, the open shift`, () => {
    const db = useTestDatabase(dialect);
    let repo: ShiftsRepository;
    beforeAll(() => {
      repo = new ShiftsRepository(db.opened.db);
    });

    const open = async (id: string, accountId: string): Promise<ShiftRow> => {
      await db.opened.db
        .insertInto('accounts')
        .values({
          id: accountId,
          username: accountId,
          display_name: '测试收费员',
          role: 'collector',
          password_hash: 'TEST-not-a-hash',
          disabled: 0,
          demo: 1,
          created_at: TEST_OPENED_AT,
        })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
      const row: ShiftRow = {
        id,
        account_id: accountId,
        terminal_id: null,
        opened_at: TEST_OPENED_AT,
        closed_at: null,
      };
      await repo.insert(row);
      return row;
    };
    // Closes the shift behind the repository's back: what findOpen() answers then shows where it read from.
    const closeBehind = (id: string) =>
      db.opened.db.updateTable('shifts').set({ closed_at: TEST_OPENED_AT }).where('id', '=', id).execute();
    const closeInTransaction = (id: string) =>
      repo.closing(() => db.opened.db.transaction().execute((trx) => repo.close(id, TEST_OPENED_AT, trx)));

    it('answers an open shift it read already from memory', async () => {
      const row = await open('s1', 'test-acc-1');
      expect(await repo.findOpen('test-acc-1')).toEqual(row);
      await closeBehind('s1');
      expect(await repo.findOpen('test-acc-1')).toEqual(row);
    });

    it('refuses a shift closed through it at once, and then reads the next one', async () => {
      await open('s2', 'test-acc-2');
      expect((await repo.findOpen('test-acc-2'))?.id).toBe('s2');
      await closeInTransaction('s2');
      expect(await repo.findOpen('test-acc-2')).toBeUndefined();
      await open('s3', 'test-acc-2');
      expect((await repo.findOpen('test-acc-2'))?.id).toBe('s3');
    });

    it('forgets an open shift read while its close was in flight', async () => {
      await open('s4', 'test-acc-4');
      await repo.closing(() =>
        db.opened.db.transaction().execute(async (trx) => {
          await repo.close('s4', TEST_OPENED_AT, trx);
          // Not committed yet: a read outside the transaction still sees the shift open.
          await repo.findOpen('test-acc-4');
        }),
      );
      expect(await repo.findOpen('test-acc-4')).toBeUndefined();
    });

    it('reads inside a transaction from the database', async () => {
      await open('s5', 'test-acc-5');
      expect((await repo.findOpen('test-acc-5'))?.id).toBe('s5');
      await closeBehind('s5');
      const inside = await db.opened.db.transaction().execute((trx) => repo.findOpen('test-acc-5', trx));
      expect(inside).toBeUndefined();
    });
  });
}
