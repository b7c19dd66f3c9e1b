import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../testing/test-db';
import { useTestDatabase } from '../testing/use-test-database';
import { PreparedQueries, shapeOf } from './prepared';

for (const dialect of DIALECTS) {
  describe(`${dialect}: prepared queries`, () => {
    const db = useTestDatabase(dialect);

    const insert = new PreparedQueries((x, p: { lane: string; batch: string }) =>
      x.insertInto('trade_serials').values({ lane_id: p.lane, batch: p.batch, next_serial: 7 }),
    );
    const bump = new PreparedQueries(
      (x, p: { lanes: readonly string[]; set: { next_serial?: number; batch?: string } }) =>
        x
          .updateTable('trade_serials')
          .set(p.set)
          .where('lane_id', 'in', [...p.lanes]),
    );
    const find = new PreparedQueries((x, p: { lane: string }) =>
      x.selectFrom('trade_serials').selectAll().where('lane_id', '=', p.lane),
    );

    it('runs with fresh parameters each time, keeping the constants written in the query', async () => {
      for (const lane of ['A', 'B', 'C']) await insert.execute(db.opened.db, { lane, batch: `b-${lane}` });
      expect(await find.first(db.opened.db, { lane: 'B' })).toMatchObject({ batch: 'b-B' });
      expect(Number((await find.first(db.opened.db, { lane: 'C' }))?.next_serial)).toBe(7);
      expect(await find.first(db.opened.db, { lane: 'Z' })).toBeUndefined();
    });

    it('compiles one statement per shape: IN-list lengths and SET columns', async () => {
      const one = await bump.execute(db.opened.db, { lanes: ['A'], set: { next_serial: 10 } }, '1:n');
      const two = await bump.execute(
        db.opened.db,
        { lanes: ['B', 'C'], set: { next_serial: 20, batch: 'x' } },
        `2:${shapeOf({ next_serial: 20, batch: 'x' })}`,
      );
      // Undefined values are left out, as Kysely does: the batch of A stays.
      await bump.execute(db.opened.db, { lanes: ['A'], set: { next_serial: 11, batch: undefined } }, '1:n');
      expect([Number(one.numAffectedRows), Number(two.numAffectedRows)]).toEqual([1, 2]);
      const rows = await db.opened.db.selectFrom('trade_serials').selectAll().orderBy('lane_id').execute();
      expect(rows.map((r) => [r.lane_id, r.batch, Number(r.next_serial)])).toEqual([
        ['A', 'b-A', 11],
        ['B', 'x', 20],
        ['C', 'x', 20],
      ]);
    });

    it('runs inside the caller’s transaction', async () => {
      await expect(
        db.opened.db.transaction().execute(async (trx) => {
          await insert.execute(trx, { lane: 'R', batch: 'r' });
          expect(await find.first(trx, { lane: 'R' })).toBeDefined();
          throw new Error('roll back');
        }),
      ).rejects.toThrow('roll back');
      expect(await find.first(db.opened.db, { lane: 'R' })).toBeUndefined();
    });
  });
}
