import type { LightMyRequestResponse } from 'fastify';
import { loadConfig, type StationConfig } from '../config';
import type { DialectName } from '../db/database';
import type { Role } from '../services/auth.service';
import { TEST_KDF } from '../services/password';
import { createStation, type Station, type StationOptions } from '../station';
import type { HttpCall } from './sim-handheld';
import { createTestDatabase, type TestDatabase } from './test-db';
import { testReference } from './world';

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
  /** The same API as an HttpCall for SimHandheld (through inject). */
  http: HttpCall;
}

export async function startHarness(
  dialect: DialectName,
  overrides: Partial<StationConfig> = {},
  stationOpts: Partial<StationOptions> = {},
): Promise<Harness> {
  const db = await createTestDatabase(dialect);
  const clock = { now: new Date('2026-11-23T08:00:00.000Z') };
  const config: StationConfig = {
    ...loadConfig({}),
    databaseUrl: db.databaseUrl,
    dataDir: db.dataDir,
    ...overrides,
  };
  const station = await createStation({
    config,
    kdf: TEST_KDF,
    logger: false,
    now: () => clock.now,
    reference: testReference(),
    ...stationOpts,
  });
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
    async http(method, url, body, headers = {}) {
      const r = await station.app.inject({
        method,
        url,
        headers,
        ...(body === undefined
          ? {}
          : Buffer.isBuffer(body)
            ? { payload: body }
            : { payload: body as object }),
      });
      return {
        status: r.statusCode,
        body: r.body.length > 0 && r.headers['content-type']?.toString().includes('json') ? r.json() : r.body,
      };
    },
    async close() {
      await station.close();
      await db.drop();
    },
  };
}
