import type { EngineErrors } from '@tollpad/server-kit';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../schema';

export type { DialectName } from '@tollpad/server-kit';

/** Everything that differs between engines lives behind this interface (kysely: "dialect folders"). */
export interface DialectOps extends EngineErrors {
  /** SQL that makes append-only tables reject UPDATE/DELETE at the engine level. */
  appendOnlyTriggers(table: string): string[];
  /**
   * SQL that keeps a committed audit entry from being changed while it waits in audit_pending, or removed
   * from there before the appender has chained it: audit_chained names it, and takes only a name whose
   * sequence number holds that same entry in audit_log (one name per sequence number).
   */
  pendingAuditGuard(): string[];
  /**
   * Holds lock `key` until the transaction ends, so two writers that check a rule by reading rows (the last
   * enabled admin …) take turns: PostgreSQL at READ COMMITTED lets both see the row the other is about to
   * change. SQLite already runs one writer at a time.
   */
  serialise(t: Transaction<Database>, key: number): Promise<void>;
}

export interface OpenedDatabase {
  db: Kysely<Database>;
  ops: DialectOps;
  close(): Promise<void>;
}
