import { errCode, openedWith, openPostgresKysely, postgresErrors } from '@tollpad/server-kit';
import { type Kysely, sql } from 'kysely';
import pg from 'pg';
import type { Database } from '../schema';
import { checkDay, EXIT_RECORDS_COLUMNS, EXIT_RECORDS_INDEXES, nextDay } from './exit-records-ddl';
import type { DialectOps, OpenedDatabase } from './types';

// NUMERIC (e.g. SUM over bigint) as a number: the amounts involved fit in a JS safe integer (int8 is done
// by the server kit).
pg.types.setTypeParser(1700, (v) => Number(v));

/** Days whose partition this process already made sure of (per database URL). */
const knownPartitions = new WeakMap<Kysely<Database>, Set<string>>();

export const postgresOps: DialectOps = {
  ...postgresErrors,
  serialType: 'serial',
  bytesType: 'bytea',
  // Declarative partitioning by day: one partition per Beijing day, created on first use.
  exitRecordsDdl() {
    return [
      `CREATE TABLE exit_records (${EXIT_RECORDS_COLUMNS}) PARTITION BY RANGE (exit_day)`,
      ...EXIT_RECORDS_INDEXES,
    ];
  },
  async ensureDayPartition(db, day) {
    let known = knownPartitions.get(db);
    if (!known) {
      known = new Set();
      knownPartitions.set(db, known);
    }
    if (known.has(day)) return;
    const d = checkDay(day);
    try {
      await sql
        .raw(
          `CREATE TABLE IF NOT EXISTS exit_records_d${d} PARTITION OF exit_records FOR VALUES FROM ('${d}') TO ('${nextDay(d)}')`,
        )
        .execute(db);
    } catch (e) {
      // Two requests racing to create the same partition: the loser sees a duplicate; the table exists.
      if (!['42P07', '23505'].includes(errCode(e) ?? '')) throw e;
    }
    known.add(day);
  },
};

export function openPostgres(url: string, poolSize = 10): OpenedDatabase {
  const db = openPostgresKysely<Database>(url, poolSize);
  return openedWith(db, postgresOps);
}
