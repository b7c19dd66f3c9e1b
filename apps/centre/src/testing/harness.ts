import type { LightMyRequestResponse } from 'fastify';
import { type Centre, createCentre } from '../centre';
import { type CentreConfig, loadConfig } from '../config';
import type { DialectName } from '../db/database';
import { TEST_PEER_HEADER } from '../http/peer';
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

/** The TEST publisher identity the harness calls as, unless a call names its own peer. */
export const TEST_PUBLISHER_PEER = 'publisher:TEST';

/** A record is uploaded as its own exit station by default; every other call as the TEST publisher. */
function defaultPeer(method: string, url: string, body: unknown): string {
  if (method === 'POST' && url === '/records' && typeof body === 'object' && body !== null) {
    const station = (body as { exTollStationId?: unknown }).exTollStationId;
    if (typeof station === 'string') return station;
  }
  return TEST_PUBLISHER_PEER;
}

/**
 * A centre on a fresh database of the given engine, seeded, with a movable clock and no timers, in the
 * plain-HTTP test mode (calls name their peer with the TEST header; see http/peer.ts).
 */
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
    plainHttp: true,
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
      const headers = { [TEST_PEER_HEADER]: defaultPeer(method, url, opts.body), ...(opts.headers ?? {}) };
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
