import { fdatasync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Kysely, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { committedIds, createTestTable, type TestDb } from '../testing/sqlite-test-table';
import { sqliteErrors } from './engine';
import { openSqliteKysely } from './sqlite';
import { type FlushFn, WAL_SYNC_FAILED } from './wal-sync';

/** A flush the test completes by hand (or fails), recording each call. */
function heldFlush() {
  const pending: ((e: Error | null) => void)[] = [];
  const flush: FlushFn = (fd, done) => {
    pending.push((e) => (e ? done(e) : fdatasync(fd, done)));
  };
  return {
    flush,
    get calls() {
      return pending.length;
    },
    release(e: Error | null = null) {
      const all = pending.splice(0);
      for (const p of all) p(e);
      return all.length;
    },
  };
}

const turn = () => new Promise((r) => setTimeout(r, 20));

describe('group commit with the WAL flushed off the event loop', () => {
  let dir: string;
  let file: string;
  let db: Kysely<TestDb>;
  let held: ReturnType<typeof heldFlush>;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tollpad-wal-sync-TEST-'));
    file = join(dir, 'test.sqlite');
    createTestTable(file);
    held = heldFlush();
    db = openSqliteKysely<TestDb>(file, { groupCommit: true, flush: held.flush });
  });

  afterEach(async () => {
    held.release();
    await db.destroy().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs the writer at synchronous=NORMAL: the flush replaces FULL’s own fsync', async () => {
    const asked = sql<{ synchronous: number }>`PRAGMA synchronous`.execute(db);
    await turn();
    held.release();
    expect((await asked).rows[0]?.synchronous).toBe(1);
  });

  it('acknowledges a write only after the flush that covers its COMMIT', async () => {
    let acknowledged = false;
    const write = db
      .insertInto('t')
      .values({ id: 1, v: 'TEST' })
      .execute()
      .then(() => {
        acknowledged = true;
      });
    await turn();
    expect(committedIds(file)).toEqual([1]); // COMMIT ran: in the WAL, not yet on disk
    expect(acknowledged).toBe(false);
    expect(held.release()).toBe(1);
    await write;
    expect(acknowledged).toBe(true);
  });

  it('holds back a read that saw unflushed data until the flush', async () => {
    const write = db.insertInto('t').values({ id: 7, v: 'TEST' }).execute();
    await turn();
    let answered: number[] | null = null;
    const read = db
      .selectFrom('t')
      .select('id')
      .execute()
      .then((rows) => {
        answered = rows.map((r) => r.id);
      });
    await turn();
    expect(answered).toBeNull();
    held.release();
    await Promise.all([write, read]);
    expect(answered).toEqual([7]);
  });

  it('lets the commits made during one flush share the next', async () => {
    const first = db.insertInto('t').values({ id: 1, v: 'TEST' }).execute();
    await turn();
    expect(held.calls).toBe(1);
    const more = Array.from({ length: 5 }, async (_, i) => {
      await turn();
      await db
        .insertInto('t')
        .values({ id: 10 + i, v: 'TEST' })
        .execute();
    });
    await turn();
    await turn();
    expect(committedIds(file)).toHaveLength(6);
    expect(held.calls).toBe(1); // one flush in flight at a time
    held.release();
    await first;
    await turn();
    expect(held.calls).toBe(1); // the five later commits: one more flush
    held.release();
    await Promise.all(more);
  });

  it('fails the group and everything after it when the flush fails', async () => {
    const write = db.insertInto('t').values({ id: 1, v: 'TEST' }).execute();
    await turn();
    held.release(Object.assign(new Error('TEST: EIO'), { code: 'EIO' }));
    const e = await write.catch((x: unknown) => x);
    expect(e).toMatchObject({ code: WAL_SYNC_FAILED });
    expect(sqliteErrors.isUnavailable(e)).toBe(true);
    const later = await db
      .selectFrom('t')
      .selectAll()
      .execute()
      .catch((x: unknown) => x);
    expect(later).toMatchObject({ code: WAL_SYNC_FAILED });
    const laterTx = await db
      .transaction()
      .execute((trx) => trx.insertInto('t').values({ id: 2, v: 'TEST' }).execute())
      .catch((x: unknown) => x);
    expect(laterTx).toMatchObject({ code: WAL_SYNC_FAILED });
  });
});

describe('WAL flush observer', () => {
  it('hears each completed flush once, with how long it took, and not a failed one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tollpad-wal-sync-TEST-'));
    const file = join(dir, 'test.sqlite');
    createTestTable(file);
    const held = heldFlush();
    const heard: number[] = [];
    const db = openSqliteKysely<TestDb>(file, {
      groupCommit: true,
      flush: held.flush,
      onWalFlush: (s) => heard.push(s),
    });
    try {
      const write = db.insertInto('t').values({ id: 1, v: 'TEST' }).execute();
      // Time the hold from when the flush is in flight: on a busy machine it can start well after the write.
      while (held.calls === 0) await new Promise((r) => setTimeout(r, 1));
      await new Promise((r) => setTimeout(r, 60));
      expect(held.release()).toBe(1);
      await write;
      expect(heard).toHaveLength(1);
      expect(heard[0]).toBeGreaterThanOrEqual(0.05);
      expect(heard[0]).toBeLessThan(5);
      const failing = db.insertInto('t').values({ id: 2, v: 'TEST' }).execute();
      await turn();
      held.release(Object.assign(new Error('TEST: EIO'), { code: 'EIO' }));
      await expect(failing).rejects.toMatchObject({ code: WAL_SYNC_FAILED });
      expect(heard).toHaveLength(1);
    } finally {
      held.release();
      await db.destroy().catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a WAL flush observer that throws', () => {
  // Unguarded, the throw escapes the fdatasync callback: an uncaught exception (the station would crash),
  // which vitest reports as an unhandled error and fails the run.
  it('does not keep writes from being acknowledged', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tollpad-wal-sync-TEST-'));
    const file = join(dir, 'test.sqlite');
    createTestTable(file);
    let calls = 0;
    const db = openSqliteKysely<TestDb>(file, {
      groupCommit: true,
      onWalFlush: () => {
        calls++;
        throw new Error('TEST: a broken metric');
      },
    });
    try {
      await db.insertInto('t').values({ id: 1, v: 'TEST' }).execute();
      await db.insertInto('t').values({ id: 2, v: 'TEST' }).execute();
      expect(calls).toBe(2);
      expect(committedIds(file)).toHaveLength(2);
    } finally {
      await db.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('group commit with the real fdatasync', () => {
  it('acknowledges concurrent writes once on disk, and they are there after closing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tollpad-wal-sync-TEST-'));
    const file = join(dir, 'test.sqlite');
    try {
      const db = openSqliteKysely<TestDb>(file, { groupCommit: true });
      await db.schema
        .createTable('t')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('v', 'text')
        .execute();
      await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          db.transaction().execute((trx) => trx.insertInto('t').values({ id: i, v: 'TEST' }).execute()),
        ),
      );
      await db.destroy();
      expect(committedIds(file)).toHaveLength(200);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
