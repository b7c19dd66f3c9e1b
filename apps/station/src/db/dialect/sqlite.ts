import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely } from 'kysely';
import type { Database } from '../schema';
import { groupCommitSqliteDialect } from './sqlite-group-commit';
import type { DialectOps, OpenedDatabase } from './types';

export const sqliteOps: DialectOps = {
  name: 'sqlite',
  isUniqueViolation(e) {
    const code = errCode(e);
    return code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
  },
  isUnavailable(e) {
    const code = errCode(e);
    if (code && /^SQLITE_(BUSY|LOCKED|IOERR|FULL|CANTOPEN|READONLY|CORRUPT|NOTADB)/.test(code)) return true;
    const msg = e instanceof Error ? e.message : '';
    return /database connection is not open|driver has already been destroyed/i.test(msg);
  },
  appendOnlyTriggers(table) {
    return [
      `CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table} BEGIN SELECT RAISE(ABORT, '${table} is append-only'); END`,
      `CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table} BEGIN SELECT RAISE(ABORT, '${table} is append-only'); END`,
    ];
  },
};

/**
 * SQLite in WAL mode with synchronous=FULL: an acknowledged commit survives power loss. Writes go through
 * group commit (see sqlite-group-commit.ts); reads outside transactions use a second, query-only connection.
 */
export function openSqlite(file: string): OpenedDatabase {
  const memory = file === ':memory:';
  if (!memory) mkdirSync(dirname(file), { recursive: true });
  const writer = new BetterSqlite3(file);
  writer.pragma('journal_mode = WAL');
  writer.pragma('synchronous = FULL');
  writer.pragma('foreign_keys = ON');
  writer.pragma('busy_timeout = 5000');
  let reader: BetterSqlite3.Database | null = null;
  if (!memory) {
    reader = new BetterSqlite3(file);
    reader.pragma('busy_timeout = 5000');
    reader.pragma('query_only = ON');
  }
  const db = new Kysely<Database>({ dialect: groupCommitSqliteDialect(writer, reader) });
  return {
    db,
    ops: sqliteOps,
    async close() {
      await db.destroy();
    },
  };
}

function errCode(e: unknown): string | undefined {
  if (typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string') return e.code;
  return undefined;
}
