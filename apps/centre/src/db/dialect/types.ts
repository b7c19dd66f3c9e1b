import type { EngineErrors } from '@tollpad/server-kit';
import type { Kysely } from 'kysely';
import type { Database } from '../schema';

export type { DialectName } from '@tollpad/server-kit';

/** Everything that differs between engines lives behind this interface (kysely: "dialect folders"). */
export interface DialectOps extends EngineErrors {
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
