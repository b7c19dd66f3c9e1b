import {
  hostileFailures,
  hostileRequests,
  hostileTarget,
  type OpenApiResponses,
  rawHttp,
  rawRequest,
  undocumentedStatuses,
} from '@tollpad/server-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE } from '../errors';
import { type Harness, startHarness } from '../testing/harness';
import { DIALECTS } from '../testing/test-db';

/** TEST bearer token of the station in these tests. */
const TOKEN = 'TEST-hostile-input-token';
/** TEST: the plain-HTTP test mode names the caller in this header (http/peer.ts), as a station. */
const AS_STATION = { 'x-tollpad-test-peer': 'G0022370010030' };
const BODY_LIMIT = 1024 * 1024;

for (const dialect of DIALECTS) {
  describe(`${dialect}: what a stranger sends on the socket gets a catalogue code`, () => {
    let h: Harness;
    let port: number;
    let openapi: OpenApiResponses;
    beforeAll(async () => {
      h = await startHarness(dialect, { apiToken: TOKEN, bodyLimitBytes: BODY_LIMIT });
      ({ port, openapi } = await hostileTarget(h.centre.app));
    });
    afterAll(async () => h?.close());

    it('documents every status its catalogue can answer on every route of its OpenAPI document', () => {
      expect(undocumentedStatuses(openapi, ERROR_CATALOGUE)).toEqual([]);
    });

    it('answers malformed requests with a catalogue code and a documented status', async () => {
      const probes = hostileRequests({
        paramRoute: '/records/:tradeId',
        jsonRoute: '/records',
        bodyLimit: BODY_LIMIT,
        headers: { authorization: `Bearer ${TOKEN}`, 'idempotency-key': 'TEST', ...AS_STATION },
      });
      expect(await hostileFailures(port, probes, ERROR_CATALOGUE, openapi)).toEqual([]);
      const alive = await rawRequest(port, rawHttp('GET', '/healthz'));
      expect(alive?.status, alive?.body).toBe(200);
    });

    it('keeps nothing of a record nested too deep (refused before it is parsed)', async () => {
      const before = await h.centre.services.db.db
        .selectFrom('rejected_records')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      const r = await h.call('POST', '/records', {
        body: `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
        headers: {
          authorization: `Bearer ${TOKEN}`,
          'idempotency-key': 'TEST',
          'content-type': 'application/json',
        },
      });
      expect(r.statusCode).toBe(400);
      expect(r.json().code).toBe('CTR_ERR_REQ_TOO_DEEP');
      const after = await h.centre.services.db.db
        .selectFrom('rejected_records')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(after.n)).toBe(Number(before.n));
    });
  });
}
