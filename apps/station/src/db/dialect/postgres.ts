import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from '../schema';
import type { DialectOps, OpenedDatabase } from './types';

// COUNT(*) and SUM() come back as int8; the amounts involved fit in a JS safe integer.
pg.types.setTypeParser(20, (v) => Number(v));

export const postgresOps: DialectOps = {
  name: 'postgres',
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
  appendOnlyTriggers(table) {
    return [
      `CREATE OR REPLACE FUNCTION tollpad_append_only() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$ LANGUAGE plpgsql`,
      `CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION tollpad_append_only()`,
    ];
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
