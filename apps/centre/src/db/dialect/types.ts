import type { Kysely } from 'kysely';
import type { Database } from '../schema';

export type DialectName = 'sqlite' | 'postgres';

/** Everything that differs between engines lives behind this interface (kysely: "dialect folders"). */
export interface DialectOps {
  readonly name: DialectName;
  isUniqueViolation(e: unknown): boolean;
  /** The engine is gone or refusing work (closed pool, connection refused, disk I/O, busy). */
  isUnavailable(e: unknown): boolean;
  /** Column type of an auto-incrementing integer key, and of raw bytes. */
  readonly serialType: 'integer' | 'serial';
  readonly bytesType: 'blob' | 'bytea';
  /** SQL creating the exit_records table (PostgreSQL: partitioned by exit_day). */
  exitRecordsDdl(): string[];
  /** Makes sure the day's partition exists before rows of that day are written (no-op on SQLite). */
  ensureDayPartition(db: Kysely<Database>, day: string): Promise<void>;
}

export interface OpenedDatabase {
  db: Kysely<Database>;
  ops: DialectOps;
  close(): Promise<void>;
}
