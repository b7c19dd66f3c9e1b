import type { Transaction } from 'kysely';
import type { DialectOps } from '../db/dialect/types';
import type { Database } from '../db/schema';

/**
 * Rules checked by counting or looking up rows before a write (the last enabled admin, the last enabled
 * lane, a PSAM bound to one handheld). Their writers take the rule's lock first, inside the writing
 * transaction, so no two of them check at the same time.
 */
export type CheckedRule = 'accounts.admins' | 'lanes.enabled' | 'terminals.psam';

const RULE_KEYS: Record<CheckedRule, number> = {
  'accounts.admins': 1,
  'lanes.enabled': 2,
  'terminals.psam': 3,
};

/** Holds the rule's lock until the transaction `t` ends (see DialectOps.serialise). */
export function serialise(ops: DialectOps, t: Transaction<Database>, rule: CheckedRule): Promise<void> {
  return ops.serialise(t, RULE_KEYS[rule]);
}
