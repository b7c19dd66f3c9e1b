import { join } from 'node:path';
import type { Kysely } from 'kysely';
import type { FlushObserver } from './wal-sync';

export interface DatabaseOptions {
  databaseUrl: string | undefined;
  dataDir: string;
  /** Overrides the SQLite file (tests use a temp file; ':memory:' works too). */
  sqliteFile?: string;
  poolSize?: number;
  /** SQLite with group commit on a file: hears each WAL flush's duration (see wal-sync.ts). */
  onWalFlush?: FlushObserver;
}

export interface Closable {
  close(): Promise<void>;
}

/**
 * PostgreSQL when a URL is given, otherwise the embedded SQLite file `<dataDir>/<sqliteFileName>`; then
 * migrated. A database whose migration fails is closed before the error is passed on.
 */
export async function openMigrated<O extends Closable>(
  opts: DatabaseOptions & { sqliteFileName: string },
  open: {
    postgres(url: string, poolSize?: number): O;
    sqlite(file: string, hooks: { onWalFlush?: FlushObserver }): O;
  },
  migrate: (opened: O) => Promise<void>,
): Promise<O> {
  const opened = opts.databaseUrl
    ? open.postgres(opts.databaseUrl, opts.poolSize)
    : open.sqlite(opts.sqliteFile ?? join(opts.dataDir, opts.sqliteFileName), {
        ...(opts.onWalFlush ? { onWalFlush: opts.onWalFlush } : {}),
      });
  try {
    await migrate(opened);
  } catch (e) {
    await opened.close();
    throw e;
  }
  return opened;
}

/** A Kysely instance with the app's engine operations, closed by destroying the instance. */
export function openedWith<DB, Ops>(db: Kysely<DB>, ops: Ops): { db: Kysely<DB>; ops: Ops } & Closable {
  return {
    db,
    ops,
    async close() {
      await db.destroy();
    },
  };
}
