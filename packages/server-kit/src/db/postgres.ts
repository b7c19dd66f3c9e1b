import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';

// COUNT(*) and SUM() come back as int8; the amounts involved fit in a JS safe integer.
pg.types.setTypeParser(20, (v) => Number(v));

/** A pooled PostgreSQL Kysely. An idle client's error must not crash the server: the next query reports it. */
export function openPostgresKysely<DB>(url: string, poolSize = 10): Kysely<DB> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, connectionTimeoutMillis: 5000 });
  pool.on('error', () => {});
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
}
