import { createTestDatabase as create, type DialectName, type TestDatabase } from '@tollpad/server-kit';

export { DIALECTS, type TestDatabase } from '@tollpad/server-kit';

/** A fresh, isolated database for one test file: a temp SQLite file or a new PostgreSQL database. */
export function createTestDatabase(dialect: DialectName): Promise<TestDatabase> {
  return create(dialect, 'station');
}
