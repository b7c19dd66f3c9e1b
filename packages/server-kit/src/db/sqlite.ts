import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { groupCommitSqliteDialect } from './sqlite-group-commit';
import { WalCheckpointer } from './wal-checkpointer';
import { type FlushFn, type FlushObserver, WalDurability } from './wal-sync';

export interface SqliteOptions {
  /** Enforce REFERENCES (PRAGMA foreign_keys). */
  foreignKeys?: boolean;
  /**
   * Concurrent writes share one fsync'd transaction and plain reads use a second, query-only connection
   * (see sqlite-group-commit.ts). Without it: one connection, Kysely's own SQLite dialect.
   */
  groupCommit?: boolean;
  /** With group commit on a file: how the WAL is flushed (tests inject failures); default fs.fdatasync. */
  flush?: FlushFn;
  /** With group commit on a file: hears each WAL flush's duration (a metric: commit latency's floor). */
  onWalFlush?: FlushObserver;
  /** With group commit: how long a group gathers writes before its COMMIT (default GROUP_WINDOW_MS). */
  groupWindowMs?: number;
  /** With group commit on a file: checkpoint period and WAL restart length (see wal-checkpointer.ts). */
  checkpoint?: { intervalMs?: number; restartFrames?: number };
}

/**
 * [P] How long a group commit gathers writes: 2 ms measured best on the 2-core machines (fewer COMMITs
 * and WAL pages per exit, lower p99 than committing on the next event-loop turn); a write waits that long.
 */
export const GROUP_WINDOW_MS = 2;

/**
 * SQLite in WAL mode; an acknowledged commit survives power loss: synchronous=FULL, or, with group commit
 * on a file, synchronous=NORMAL plus a WAL flush before acknowledging (wal-sync.ts). The file's directory
 * is created; ':memory:' works too (tests).
 */
export function openSqliteKysely<DB>(file: string, opts: SqliteOptions = {}): Kysely<DB> {
  const memory = file === ':memory:';
  if (!memory) mkdirSync(dirname(file), { recursive: true });
  const writer = new BetterSqlite3(file);
  writer.pragma('journal_mode = WAL');
  if (opts.foreignKeys) writer.pragma('foreign_keys = ON');
  writer.pragma('busy_timeout = 5000');
  if (!opts.groupCommit || memory) writer.pragma('synchronous = FULL');
  if (!opts.groupCommit) return new Kysely<DB>({ dialect: new SqliteDialect({ database: writer }) });
  let reader: BetterSqlite3.Database | null = null;
  let durability: WalDurability | null = null;
  let checkpointer: WalCheckpointer | null = null;
  if (!memory) {
    // COMMIT writes the WAL; WalDurability flushes it off the event loop before anything is acknowledged.
    writer.pragma('synchronous = NORMAL');
    writer.prepare('SELECT count(*) FROM sqlite_master').get(); // opens (creates) the -wal file
    durability = WalDurability.open(`${file}-wal`, opts.flush, opts.onWalFlush);
    // Checkpoints run on a worker thread; if it fails, SQLite's own auto-checkpoint takes over again.
    writer.pragma('wal_autocheckpoint = 0');
    checkpointer = new WalCheckpointer(
      file,
      () => {
        if (writer.open) writer.pragma('wal_autocheckpoint = 1000');
      },
      opts.checkpoint,
    );
    // A unit's SAVEPOINT keeps the pages it changes in a sub-journal: in memory (a unit is a few pages),
    // not in a temporary file written page by page (half the writer's write calls, measured).
    writer.pragma('temp_store = MEMORY');
    reader = new BetterSqlite3(file);
    reader.pragma('busy_timeout = 5000');
    reader.pragma('query_only = ON');
  }
  const windowMs = memory ? 0 : (opts.groupWindowMs ?? GROUP_WINDOW_MS);
  return new Kysely<DB>({
    dialect: groupCommitSqliteDialect(writer, reader, { durability, checkpointer, windowMs }),
  });
}
