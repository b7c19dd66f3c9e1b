import type { LightMyRequestResponse } from 'fastify';
import { type Centre, createCentre } from '../centre';
import { type CentreConfig, loadConfig } from '../config';
import type { DialectName } from '../db/database';
import { createTestDatabase, type TestDatabase } from './test-db';

/** TEST seed of the synthetic province used by every centre test. */
export const TEST_SEED = 7;

export interface Harness {
  centre: Centre;
  db: TestDatabase;
  clock: { now: Date };
  call(
    method: 'GET' | 'POST',
    url: string,
    opts?: { body?: unknown; headers?: Record<string, string>; payload?: Buffer },
  ): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/** A centre on a fresh database of the given engine, seeded, with a movable clock and no timers. */
export async function startHarness(
  dialect: DialectName,
  overrides: Partial<CentreConfig> = {},
): Promise<Harness> {
  const db = await createTestDatabase(dialect);
  const clock = { now: new Date('2026-11-23T08:00:00.000Z') };
  const config: CentreConfig = {
    ...loadConfig({}),
    databaseUrl: db.databaseUrl,
    dataDir: db.dataDir,
    seed: TEST_SEED,
    seedCardListSize: 200,
    listDeltaMinutes: 0,
    ...overrides,
  };
  let centre: Centre;
  try {
    centre = await createCentre({ config, logger: false, now: () => clock.now });
  } catch (e) {
    await db.drop();
    throw e;
  }
  return {
    centre,
    db,
    clock,
    call(method, url, opts = {}) {
      const headers = { ...(opts.headers ?? {}) };
      if (opts.payload) {
        return centre.app.inject({
          method,
          url,
          payload: opts.payload,
          headers: { 'content-type': 'application/octet-stream', ...headers },
        });
      }
      return centre.app.inject({
        method,
        url,
        headers,
        ...(opts.body === undefined ? {} : { payload: opts.body as object }),
      });
    },
    async close() {
      await centre.close();
      await db.drop();
    },
  };
}
