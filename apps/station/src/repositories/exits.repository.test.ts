import { beforeAll, describe, expect, it } from 'vitest';
import { testExitTxnRow } from '../testing/exit-txn-row';
import { DIALECTS } from '../testing/test-db';
import { useTestDatabase } from '../testing/use-test-database';
import { ExitsRepository } from './exits.repository';

for (const dialect of DIALECTS) {
  describe(`${dialect}: exit transactions repository`, () => {
    const db = useTestDatabase(dialect);
    let repo: ExitsRepository;
    beforeAll(() => {
      repo = new ExitsRepository(db.opened.db);
    });

    // Edits the row behind the repository's back: what find() answers then shows where it read from.
    const editBehind = (id: string) =>
      db.opened.db.updateTable('exit_txns').set({ card_no: 'edited-behind' }).where('id', '=', id).execute();
    const stored = (id: string) =>
      db.opened.db.selectFrom('exit_txns').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

    it('answers a row it wrote itself from memory, equal to the stored row', async () => {
      await repo.insert(testExitTxnRow('x1'));
      expect(
        await repo.transition('x1', ['read'], { state: 'imaged', plate: '浙A12345', plate_colour: 0 }),
      ).toBe(true);
      expect(await repo.find('x1')).toEqual(await stored('x1'));
      // A SET value left undefined is left out of the statement: the remembered row keeps the column too.
      expect(await repo.transition('x1', ['imaged'], { state: 'priced', plate: undefined })).toBe(true);
      expect(await repo.find('x1')).toEqual(await stored('x1'));
      await editBehind('x1');
      expect((await repo.find('x1'))?.card_no).toBe('99010000000000000001');
    });

    it('reads the database after a write inside a transaction', async () => {
      await repo.insert(testExitTxnRow('x2'));
      await db.opened.db
        .transaction()
        .execute((trx) => repo.transition('x2', ['read'], { state: 'priced' }, trx));
      await editBehind('x2');
      expect(await repo.find('x2')).toMatchObject({ state: 'priced', card_no: 'edited-behind' });
    });

    it('reads the database after a compare-and-set that did not apply', async () => {
      await repo.insert(testExitTxnRow('x3'));
      expect(await repo.transition('x3', ['committed'], { state: 'cancelled' })).toBe(false);
      await editBehind('x3');
      expect(await repo.find('x3')).toMatchObject({ state: 'read', card_no: 'edited-behind' });
    });

    it('answers a row moved inside its own transaction from memory once that committed', async () => {
      await repo.insert(testExitTxnRow('x4'));
      await repo.inTransaction((trx) =>
        repo.transition('x4', ['read'], { state: 'priced', amount: 100 }, trx),
      );
      expect(await repo.find('x4')).toEqual(await stored('x4'));
      await editBehind('x4');
      expect(await repo.find('x4')).toMatchObject({ state: 'priced', card_no: '99010000000000000001' });
    });

    it('reads the database after its own transaction failed', async () => {
      await repo.insert(testExitTxnRow('x5'));
      await expect(
        repo.inTransaction(async (trx) => {
          await repo.transition('x5', ['read'], { state: 'priced' }, trx);
          throw new Error('TEST failure after the move');
        }),
      ).rejects.toThrow('TEST failure');
      await editBehind('x5');
      expect(await repo.find('x5')).toMatchObject({ state: 'read', card_no: 'edited-behind' });
    });
  });
}
