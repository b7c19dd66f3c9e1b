import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { DialectName } from '../db/engine';

/** Every DB test loops over these (kysely style): no mocks, both real engines. */
export const DIALECTS: readonly DialectName[] = ['sqlite', 'postgres'];

const PG_ADMIN_URL = process.env.TOLLPAD_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A fresh, isolated database for one test file: a temp SQLite dir or a new PostgreSQL database. */
export interface TestDatabase {
  dialect: DialectName;
  databaseUrl: string | undefined;
  dataDir: string;
  drop(): Promise<void>;
}

/** `app` names the temp dir and the database (`tollpad-<app>-test-…`, `tollpad_<app>_test_…`). */
export async function createTestDatabase(dialect: DialectName, app: string): Promise<TestDatabase> {
  if (!/^[a-z][a-z0-9]{0,20}$/.test(app)) throw new Error(`bad test database label ${app}`);
  const dataDir = mkdtempSync(join(tmpdir(), `tollpad-${app}-test-`));
  if (dialect === 'sqlite') {
    return {
      dialect,
      databaseUrl: undefined,
      dataDir,
      async drop() {
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const name = `tollpad_${app}_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    dialect,
    databaseUrl: url.toString(),
    dataDir,
    async drop() {
      await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}
