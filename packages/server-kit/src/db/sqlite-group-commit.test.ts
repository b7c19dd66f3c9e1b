import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { committedIds, type TestDb } from '../testing/sqlite-test-table';
import { groupCommitSqliteDialect } from './sqlite-group-commit';

describe('sqlite group commit', () => {
  let dir: string;
  let file: string;
  let db: Kysely<TestDb>;
  let commits: number;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tollpad-group-commit-TEST-'));
    file = join(dir, 'test.sqlite');
    const writer = new BetterSqlite3(file);
    writer.pragma('journal_mode = WAL');
    writer.pragma('synchronous = FULL');
    writer.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)');
    commits = 0;
    // Counts physical commits (one fsync each).
    const exec = writer.exec.bind(writer);
    writer.exec = (s: string) => {
      if (s === 'COMMIT') commits++;
      return exec(s);
    };
    const reader = new BetterSqlite3(file);
    reader.pragma('query_only = ON');
    db = new Kysely<TestDb>({ dialect: groupCommitSqliteDialect(writer, reader) });
  });

  afterEach(async () => {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('commits concurrent writes together, each acknowledged only once durable', async () => {
    const acknowledged: number[][] = [];
    await Promise.all(
      Array.from({ length: 40 }, async (_, i) => {
        await db.insertInto('t').values({ id: i, v: 'TEST' }).execute();
        acknowledged.push(committedIds(file));
        expect(committedIds(file)).toContain(i);
      }),
    );
    expect(committedIds(file)).toHaveLength(40);
    expect(commits).toBeLessThan(40);
    expect(acknowledged).toHaveLength(40);
  });

  it('rolls back only the failing unit of a group', async () => {
    await db.insertInto('t').values({ id: 1, v: 'TEST' }).execute();
    const results = await Promise.allSettled([
      db.insertInto('t').values({ id: 2, v: 'TEST' }).execute(),
      db.insertInto('t').values({ id: 1, v: 'duplicate' }).execute(),
      db.transaction().execute(async (trx) => {
        await trx.insertInto('t').values({ id: 3, v: 'TEST' }).execute();
        throw new Error('TEST abort after a write');
      }),
      db.transaction().execute(async (trx) => {
        await trx.insertInto('t').values({ id: 4, v: 'TEST' }).execute();
        await trx.insertInto('t').values({ id: 5, v: 'TEST' }).execute();
      }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect(committedIds(file)).toEqual([1, 2, 4, 5]);
  });

  it('reads outside a transaction see committed rows only; inside one, pending rows too', async () => {
    await db.insertInto('t').values({ id: 1, v: 'TEST' }).execute();
    let seenOutside: number[] = [];
    let seenInside: number[] = [];
    let written!: () => void;
    const statementRan = new Promise<void>((r) => {
      written = r;
    });
    const writing = db.transaction().execute(async (trx) => {
      await trx.insertInto('t').values({ id: 2, v: 'TEST' }).execute();
      written();
    });
    // The insert has run; its group commits on a later turn of the event loop.
    await statementRan;
    seenOutside = (await db.selectFrom('t').select('id').execute()).map((r) => r.id);
    seenInside = await db
      .transaction()
      .execute(async (trx) => (await trx.selectFrom('t').select('id').execute()).map((r) => r.id));
    await writing;
    expect(seenOutside).toEqual([1]);
    expect(seenInside).toEqual([1, 2]);
  });

  it('gathers the writes of its window into one COMMIT', async () => {
    const counted = (windowMs: number) => {
      const writer = new BetterSqlite3(file);
      writer.pragma('busy_timeout = 5000');
      let n = 0;
      const exec = writer.exec.bind(writer);
      writer.exec = (s: string) => {
        if (s === 'COMMIT') n++;
        return exec(s);
      };
      const k = new Kysely<TestDb>({ dialect: groupCommitSqliteDialect(writer, null, { windowMs }) });
      return { db: k, commits: () => n };
    };
    const threeWritesApart = (k: Kysely<TestDb>, first: number) =>
      Promise.all(
        [0, 1, 2].map(async (i) => {
          await new Promise((r) => setTimeout(r, i * 5));
          await k
            .insertInto('t')
            .values({ id: first + i, v: 'TEST' })
            .execute();
        }),
      );
    const narrow = counted(0);
    await threeWritesApart(narrow.db, 100);
    await narrow.db.destroy();
    const wide = counted(50);
    await threeWritesApart(wide.db, 200);
    await wide.db.destroy();
    expect(narrow.commits()).toBe(3); // each write on its own turn of the event loop
    expect(wide.commits()).toBe(1);
    expect(committedIds(file)).toEqual([100, 101, 102, 200, 201, 202]);
  });
});
