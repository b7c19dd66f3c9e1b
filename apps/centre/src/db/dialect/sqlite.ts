import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from '../schema';
import { EXIT_RECORDS_COLUMNS, EXIT_RECORDS_INDEXES } from './exit-records-ddl';
import type { DialectOps, OpenedDatabase } from './types';

export const sqliteOps: DialectOps = {
  name: 'sqlite',
  serialType: 'integer',
  bytesType: 'blob',
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
  exitRecordsDdl() {
    return [`CREATE TABLE exit_records (${EXIT_RECORDS_COLUMNS})`, ...EXIT_RECORDS_INDEXES];
  },
  async ensureDayPartition() {},
};

/** SQLite in WAL mode with synchronous=FULL: an acknowledged record survives power loss. */
export function openSqlite(file: string): OpenedDatabase {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const conn = new BetterSqlite3(file);
  conn.pragma('journal_mode = WAL');
  conn.pragma('synchronous = FULL');
  conn.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: conn }) });
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
