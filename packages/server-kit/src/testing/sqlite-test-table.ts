import BetterSqlite3 from 'better-sqlite3';

/** The one-table schema the SQLite driver tests write to (TEST data). */
export interface TestDb {
  t: { id: number; v: string };
}

/** Creates table `t` in a database file before a driver under test opens it. */
export function createTestTable(file: string): void {
  const c = new BetterSqlite3(file);
  try {
    c.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)');
  } finally {
    c.close();
  }
}

/** The ids in `t` as another connection (another process, a restart) sees them: committed rows only. */
export function committedIds(file: string): number[] {
  const c = new BetterSqlite3(file, { readonly: true });
  try {
    return (c.prepare('SELECT id FROM t ORDER BY id').all() as { id: number }[]).map((r) => r.id);
  } finally {
    c.close();
  }
}
