import {
  Kysely,
  type PostgresCursor,
  PostgresDialect,
  type PostgresPool,
  type PostgresPoolClient,
  type PostgresQueryResult,
} from 'kysely';
import pg from 'pg';

// COUNT(*) and SUM() come back as int8; the amounts involved fit in a JS safe integer.
pg.types.setTypeParser(20, (v) => Number(v));

/** Named statements per connection at most: the SQL comes from code, so the set of texts is small. */
const MAX_PREPARED_PER_CONNECTION = 500;

/** A pooled PostgreSQL Kysely. An idle client's error must not crash the server: the next query reports it. */
export function openPostgresKysely<DB>(url: string, poolSize = 10): Kysely<DB> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, connectionTimeoutMillis: 5000 });
  pool.on('error', () => {});
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool: preparingPool(pool) }) });
}

/**
 * Runs each query text as a named prepared statement of its connection: the server parses and plans it
 * once per connection instead of on every call (the exit path's statements are small, so parsing and
 * planning were a large share of the database's CPU per exit). Same SQL, same parameters, same results.
 */
function preparingPool(pool: pg.Pool): PostgresPool {
  const wrapped = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  return {
    async connect() {
      const client = await pool.connect();
      let w = wrapped.get(client);
      if (!w) {
        w = preparingClient(client);
        wrapped.set(client, w);
      }
      return w;
    },
    end: () => pool.end(),
  };
}

function preparingClient(client: pg.PoolClient): PostgresPoolClient {
  const names = new Map<string, string>();
  function query<R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>>;
  function query<R>(cursor: PostgresCursor<R>): PostgresCursor<R>;
  function query(
    sqlOrCursor: string | PostgresCursor<unknown>,
    parameters: ReadonlyArray<unknown> = [],
  ): Promise<PostgresQueryResult<unknown>> | PostgresCursor<unknown> {
    // A cursor (streamed results) is a pg Submittable: passed through as it is.
    if (typeof sqlOrCursor !== 'string') {
      return client.query(sqlOrCursor as unknown as pg.Submittable) as unknown as PostgresCursor<unknown>;
    }
    let name = names.get(sqlOrCursor);
    if (name === undefined && names.size < MAX_PREPARED_PER_CONNECTION) {
      name = `tollpad_${names.size}`;
      names.set(sqlOrCursor, name);
    }
    const values = [...parameters];
    const result =
      name === undefined
        ? client.query(sqlOrCursor, values)
        : client.query({ name, text: sqlOrCursor, values });
    return result as Promise<PostgresQueryResult<unknown>>;
  }
  return { query, release: () => client.release() };
}
