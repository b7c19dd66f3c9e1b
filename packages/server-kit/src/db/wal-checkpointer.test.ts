import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTestTable, type TestDb } from '../testing/sqlite-test-table';
import { openSqliteKysely } from './sqlite';
import { WalCheckpointer } from './wal-checkpointer';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('WAL checkpoints on a worker thread', () => {
  it('copies committed pages into the database file without the writer checkpointing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tollpad-checkpoint-TEST-'));
    const file = join(dir, 'test.sqlite');
    try {
      createTestTable(file);
      const db = openSqliteKysely<TestDb>(file, { groupCommit: true });
      const before = statSync(file).size;
      // ~2 MB in one group: beyond SQLite's 1000-page auto-checkpoint, which the writer no longer runs.
      await Promise.all(
        Array.from({ length: 500 }, (_, i) =>
          db
            .insertInto('t')
            .values({ id: i, v: `TEST ${'x'.repeat(4000)}` })
            .execute(),
        ),
      );
      const inWal = statSync(`${file}-wal`).size;
      expect(inWal).toBeGreaterThan(2_000_000);
      let after = statSync(file).size;
      for (let i = 0; i < 50 && after < 2_000_000; i++) {
        await sleep(50);
        after = statSync(file).size;
      }
      expect(before).toBeLessThan(100_000);
      expect(after).toBeGreaterThan(2_000_000);
      await db.destroy();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports a thread that cannot open the database (the writer then checkpoints itself)', async () => {
    const errors: string[] = [];
    const c = new WalCheckpointer('/nonexistent-TEST-dir/x.sqlite', (m) => errors.push(m));
    for (let i = 0; i < 100 && errors.length === 0; i++) await sleep(20);
    expect(errors.join('\n')).toMatch(/unable to open database file|exited/);
    await c.close();
  });
});
