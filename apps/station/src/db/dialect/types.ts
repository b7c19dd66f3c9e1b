import type { Kysely } from 'kysely';
import type { Database } from '../schema';

export type DialectName = 'sqlite' | 'postgres';

/** Everything that differs between engines lives behind this interface (kysely: "dialect folders"). */
export interface DialectOps {
  readonly name: DialectName;
  isUniqueViolation(e: unknown): boolean;
  /** The engine is gone or refusing work (closed pool, connection refused, disk I/O, busy). */
  isUnavailable(e: unknown): boolean;
  /** SQL that makes append-only tables reject UPDATE/DELETE at the engine level. */
  appendOnlyTriggers(table: string): string[];
}

export interface OpenedDatabase {
  db: Kysely<Database>;
  ops: DialectOps;
  close(): Promise<void>;
}
