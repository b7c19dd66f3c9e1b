import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing/test-db';
import { openPostgresKysely } from './postgres';

describe('postgres: queries as named prepared statements', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase('postgres', 'serverkit');
  });
  afterAll(async () => t?.drop());

  it('prepares each text once per connection and answers every call with its own parameters', async () => {
    // One connection: every query below runs on it, so its prepared statements can be listed.
    const db = openPostgresKysely<{ n: { v: number } }>(t.databaseUrl as string, 1);
    try {
      await db.schema.createTable('n').addColumn('v', 'integer').execute();
      for (let i = 0; i < 5; i++) await db.insertInto('n').values({ v: i }).execute();
      const big = await db.selectFrom('n').select('v').where('v', '>', 2).orderBy('v').execute();
      const small = await db.selectFrom('n').select('v').where('v', '<', 2).orderBy('v').execute();
      expect(big.map((r) => r.v)).toEqual([3, 4]);
      expect(small.map((r) => r.v)).toEqual([0, 1]);
      const prepared = await sql<{ statement: string }>`SELECT statement FROM pg_prepared_statements`.execute(
        db,
      );
      const inserts = prepared.rows.filter((r) => r.statement.startsWith('insert into "n"'));
      expect(inserts).toHaveLength(1);
      // The two selects differ in their text (> and <): one statement each.
      expect(prepared.rows.filter((r) => r.statement.startsWith('select "v" from "n"'))).toHaveLength(2);
    } finally {
      await db.destroy();
    }
  });

  it('a failing statement is reported and the connection stays usable', async () => {
    const db = openPostgresKysely<{ m: { v: number } }>(t.databaseUrl as string, 1);
    try {
      await expect(db.selectFrom('m').select('v').execute()).rejects.toThrow(/does not exist/);
      await db.schema.createTable('m').addColumn('v', 'integer').execute();
      await db.insertInto('m').values({ v: 7 }).execute();
      expect(await db.selectFrom('m').select('v').execute()).toEqual([{ v: 7 }]);
    } finally {
      await db.destroy();
    }
  });
});
