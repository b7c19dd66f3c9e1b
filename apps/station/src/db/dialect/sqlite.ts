import { type FlushObserver, openedWith, openSqliteKysely, sqliteErrors } from '@tollpad/server-kit';
import type { Database } from '../schema';
import type { DialectOps, OpenedDatabase } from './types';

export const sqliteOps: DialectOps = {
  ...sqliteErrors,
  // One writer at a time already (group commit): nothing to take.
  async serialise() {},
  appendOnlyTriggers(table) {
    return [
      `CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table} BEGIN SELECT RAISE(ABORT, '${table} is append-only'); END`,
      `CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table} BEGIN SELECT RAISE(ABORT, '${table} is append-only'); END`,
    ];
  },
  pendingAuditGuard() {
    return [
      `CREATE TRIGGER audit_pending_no_update BEFORE UPDATE ON audit_pending BEGIN SELECT RAISE(ABORT, 'audit_pending entries cannot be changed'); END`,
      `CREATE TRIGGER audit_pending_chained_only BEFORE DELETE ON audit_pending WHEN NOT EXISTS (SELECT 1 FROM audit_chained WHERE pending_id = OLD.id) BEGIN SELECT RAISE(ABORT, 'audit_pending entry is not chained yet'); END`,
      `CREATE TRIGGER audit_chained_as_recorded BEFORE INSERT ON audit_chained WHEN NOT EXISTS (SELECT 1 FROM audit_pending p JOIN audit_log l ON l.seq = NEW.seq WHERE p.id = NEW.pending_id AND l.at = p.at AND l.actor = p.actor AND l.action = p.action AND l.target = p.target AND l.detail = p.detail) BEGIN SELECT RAISE(ABORT, 'audit_chained names an entry the chain does not hold as recorded'); END`,
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
