import { openedWith, openSqliteKysely, sqliteErrors } from '@tollpad/server-kit';
import type { Database } from '../schema';
import { EXIT_RECORDS_COLUMNS, EXIT_RECORDS_INDEXES } from './exit-records-ddl';
import type { DialectOps, OpenedDatabase } from './types';

export const sqliteOps: DialectOps = {
  ...sqliteErrors,
  serialType: 'integer',
  bytesType: 'blob',
  exitRecordsDdl() {
    return [`CREATE TABLE exit_records (${EXIT_RECORDS_COLUMNS})`, ...EXIT_RECORDS_INDEXES];
  },
  async ensureDayPartition() {},
};

/** SQLite in WAL mode with synchronous=FULL: an acknowledged record survives power loss. */
export function openSqlite(file: string): OpenedDatabase {
  const db = openSqliteKysely<Database>(file);
  return openedWith(db, sqliteOps);
}
