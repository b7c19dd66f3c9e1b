import { join } from 'node:path';
import { openPostgres } from './dialect/postgres';
import { openSqlite } from './dialect/sqlite';
import type { OpenedDatabase } from './dialect/types';
import { migrateToLatest } from './migrations';

export type { DialectName, DialectOps, OpenedDatabase } from './dialect/types';

export interface DatabaseOptions {
  databaseUrl: string | undefined;
  dataDir: string;
  /** Overrides the SQLite file (tests use a temp file; ':memory:' works too). */
  sqliteFile?: string;
  poolSize?: number;
}

/** PostgreSQL when a URL is given, otherwise the embedded SQLite file under the data dir; migrated. */
export async function openDatabase(opts: DatabaseOptions): Promise<OpenedDatabase> {
  const opened = opts.databaseUrl
    ? openPostgres(opts.databaseUrl, opts.poolSize)
    : openSqlite(opts.sqliteFile ?? join(opts.dataDir, 'centre.sqlite'));
  try {
    await migrateToLatest(opened.db, opened.ops);
  } catch (e) {
    await opened.close();
    throw e;
  }
  return opened;
}
