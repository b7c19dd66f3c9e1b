import { type FlushObserver, openedWith, openSqliteKysely, sqliteErrors } from '@tollpad/server-kit';
import type { Database } from '../schema';
import type { DialectOps, OpenedDatabase } from './types';

export const sqliteOps: DialectOps = {
  ...sqliteErrors,
  appendOnlyTriggers(table) {
    return [
      `CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table} BEGIN SELECT RAISE(ABORT, '${table} is append-only'); END`,
      `CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table} BEGIN SELECT RAISE(ABORT, '${table} is append-only'); END`,
    ];
  },
};

/**
 * SQLite in WAL mode: an acknowledged commit survives power loss. Writes go through group commit
 * (concurrent requests share one COMMIT, whose WAL is flushed off the event loop before anyone is
 * answered: server-kit wal-sync.ts); reads outside transactions use a query-only connection.
 * `onWalFlush` hears each flush's duration (the station's metric).
 */
export function openSqlite(file: string, hooks: { onWalFlush?: FlushObserver } = {}): OpenedDatabase {
  const db = openSqliteKysely<Database>(file, { foreignKeys: true, groupCommit: true, ...hooks });
  return openedWith(db, sqliteOps);
}
