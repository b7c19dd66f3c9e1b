/** The two engines every server runs on (kysely style: one query layer, engine differences in dialect files). */
export type DialectName = 'sqlite' | 'postgres';

/** How an engine reports the errors the servers react to. Apps extend this with their own DDL differences. */
export interface EngineErrors {
  readonly name: DialectName;
  isUniqueViolation(e: unknown): boolean;
  /** The engine is gone or refusing work (closed pool, connection refused, disk I/O, busy). */
  isUnavailable(e: unknown): boolean;
}

/** The driver's error code (`SQLITE_…`, a PostgreSQL SQLSTATE, or a socket code), when there is one. */
export function errCode(e: unknown): string | undefined {
  if (typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string') return e.code;
  return undefined;
}

export const sqliteErrors: EngineErrors = {
  name: 'sqlite',
  isUniqueViolation(e) {
    const code = errCode(e);
    return code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
  },
  isUnavailable(e) {
    const code = errCode(e);
    if (code && /^SQLITE_(BUSY|LOCKED|IOERR|FULL|CANTOPEN|READONLY|CORRUPT|NOTADB)/.test(code)) return true;
    const msg = e instanceof Error ? e.message : '';
    return /database connection is not open|driver has already been destroyed/i.test(msg);
  },
};

export const postgresErrors: EngineErrors = {
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
};
