import type { DialectName } from '@tollpad/server-kit';
import { afterAll, beforeAll } from 'vitest';
import { type OpenedDatabase, openDatabase } from '../db/database';
import { createTestDatabase, type TestDatabase } from './test-db';

/**
 * A fresh, migrated station database for the enclosing `describe` (vitest hooks), dropped after it: the
 * per-dialect set-up of the DB tests (kysely style, one loop over DIALECTS per file).
 */
export function useTestDatabase(dialect: DialectName): {
  readonly t: TestDatabase;
  readonly opened: OpenedDatabase;
} {
  const s = {} as { t: TestDatabase; opened: OpenedDatabase };
  beforeAll(async () => {
    s.t = await createTestDatabase(dialect);
    s.opened = await openDatabase({ databaseUrl: s.t.databaseUrl, dataDir: s.t.dataDir });
  });
  afterAll(async () => {
    await s.opened?.close();
    await s.t?.drop();
  });
  return s;
}
