import type { LightMyRequestResponse } from 'fastify';
import { loadConfig, type StationConfig } from '../config';
import type { DialectName } from '../db/database';
import type { Role } from '../services/auth.service';
import { TEST_KDF } from '../services/password';
import { createStation, type Station } from '../station';
import { createTestDatabase, type TestDatabase } from './test-db';

/** TEST accounts, one per role; password is test data. */
export const TEST_PASSWORD = 'test-password-TEST';
export const TEST_USERS: Record<Role, string> = {
  collector: 'test-collector',
  monitor: 'test-monitor',
  admin: 'test-admin',
};

export interface Harness {
  station: Station;
  db: TestDatabase;
  tokens: Record<Role, string>;
  clock: { now: Date };
  call(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH',
    url: string,
    opts?: { token?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export async function startHarness(
  dialect: DialectName,
  overrides: Partial<StationConfig> = {},
): Promise<Harness> {
  const db = await createTestDatabase(dialect);
  const clock = { now: new Date('2026-11-23T08:00:00.000Z') };
  const config: StationConfig = {
    ...loadConfig({}),
    databaseUrl: db.databaseUrl,
    dataDir: db.dataDir,
    ...overrides,
  };
  const station = await createStation({ config, kdf: TEST_KDF, logger: false, now: () => clock.now });
  const tokens = {} as Record<Role, string>;
  for (const role of ['collector', 'monitor', 'admin'] as const) {
    await station.services.auth.createAccount(
      { username: TEST_USERS[role], displayName: `测试${role}`, role, password: TEST_PASSWORD, demo: true },
      'test-setup',
    );
    const r = await station.services.auth.login(
      TEST_USERS[role],
      TEST_PASSWORD,
      role === 'collector' ? 'HH-TEST-01' : null,
    );
    tokens[role] = r.token;
  }
  return {
    station,
    db,
    tokens,
    clock,
    call(method, url, o = {}) {
      const headers: Record<string, string> = { ...(o.headers ?? {}) };
      if (o.token) headers.authorization = `Bearer ${o.token}`;
      return station.app.inject({
        method,
        url,
        headers,
        ...(o.body === undefined
          ? {}
          : typeof o.body === 'string' || Buffer.isBuffer(o.body)
            ? { payload: o.body }
            : { payload: o.body as object }),
      });
    },
    async close() {
      await station.close();
      await db.drop();
    },
  };
}
