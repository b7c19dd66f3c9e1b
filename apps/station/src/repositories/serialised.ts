import { postgresErrors, sqliteErrors } from '@tollpad/server-kit';
import { PostgresAdapter, sql } from 'kysely';
import type { Executor } from './executor';

/**
 * Rules checked by counting or looking up rows before a write (the last enabled admin, the last enabled
 * lane, a PSAM bound to one handheld). Their writers take the rule's lock first, inside the writing
 * transaction, so no two of them check at the same time.
 */
export type CheckedRule = 'accounts.admins' | 'lanes.enabled' | 'terminals.psam';

/** First key of the two-key advisory locks: the station's namespace among other users of the server. */
const NAMESPACE = 0x7011;
const RULE_KEYS: Record<CheckedRule, number> = {
  'accounts.admins': 1,
  'lanes.enabled': 2,
  'terminals.psam': 3,
};

function isPostgres(x: Executor): boolean {
  return x.getExecutor().adapter instanceof PostgresAdapter;
}

/**
 * Holds the rule's lock until the transaction `t` ends. PostgreSQL at READ COMMITTED lets two transactions
 * both see the row the other is about to change: a transaction-scoped advisory lock makes them take turns
 * (each statement after it sees what the other committed). SQLite already runs one writer at a time.
 */
export async function serialise(t: Executor, rule: CheckedRule): Promise<void> {
  if (!t.isTransaction) throw new Error(`serialise(${rule}) needs a transaction`);
  if (!isPostgres(t)) return;
  await sql`SELECT pg_advisory_xact_lock(${NAMESPACE}::int, ${RULE_KEYS[rule]}::int)`.execute(t);
}

/** A unique index refused the write (the engine's answer when a rule was broken from outside the locks). */
export function isUniqueViolation(x: Executor, e: unknown): boolean {
  return (isPostgres(x) ? postgresErrors : sqliteErrors).isUniqueViolation(e);
}
