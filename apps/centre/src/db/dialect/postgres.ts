import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Database } from '../schema';
import { checkDay, EXIT_RECORDS_COLUMNS, EXIT_RECORDS_INDEXES, nextDay } from './exit-records-ddl';
import type { DialectOps, OpenedDatabase } from './types';

// COUNT(*) and SUM() come back as int8; the amounts involved fit in a JS safe integer.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

/** Days whose partition this process already made sure of (per database URL). */
const knownPartitions = new WeakMap<Kysely<Database>, Set<string>>();

export const postgresOps: DialectOps = {
  name: 'postgres',
  serialType: 'serial',
  bytesType: 'bytea',
  isUniqueViolation(e) {
    return errCode(e) === '23505';
  },
  isUnavailable(e) {
    const code = errCode(e);
    if (
      code &&
      (/^(08|53|57P)/.test(code) || ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND'].includes(code))
    )
      return true;
    const msg = e instanceof Error ? e.message : '';
    return /Cannot use a pool after calling end|Connection terminated|driver has already been destroyed|timeout exceeded when trying to connect/i.test(
      msg,
    );
  },
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
  const pool = new pg.Pool({ connectionString: url, max: poolSize, connectionTimeoutMillis: 5000 });
  // An idle client error must not crash the server; the next query reports it as unavailable.
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    ops: postgresOps,
    async close() {
      await db.destroy();
    },
  };
}

function errCode(e: unknown): string | undefined {
  if (typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string') return e.code;
  return undefined;
}
