import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';

/** A database handle or an open transaction: repositories accept either so services compose writes. */
export type Executor = Kysely<Database>;
