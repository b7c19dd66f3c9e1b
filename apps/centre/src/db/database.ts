import { type DatabaseOptions, openMigrated } from '@tollpad/server-kit';
import { openPostgres } from './dialect/postgres';
import { openSqlite } from './dialect/sqlite';
import type { OpenedDatabase } from './dialect/types';
import { migrateToLatest } from './migrations';

export type { DatabaseOptions } from '@tollpad/server-kit';
export type { DialectName, DialectOps, OpenedDatabase } from './dialect/types';

/** PostgreSQL when a URL is given, otherwise the embedded SQLite file under the data dir; migrated. */
export function openDatabase(opts: DatabaseOptions): Promise<OpenedDatabase> {
  return openMigrated(
    { ...opts, sqliteFileName: 'centre.sqlite' },
    { postgres: openPostgres, sqlite: openSqlite },
    (o) => migrateToLatest(o.db, o.ops),
  );
}
