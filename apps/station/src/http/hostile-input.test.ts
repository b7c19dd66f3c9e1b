import {
  type HostileRequest,
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
import { JSON_BODY_MAX_BYTES } from './app';

for (const dialect of DIALECTS) {
  describe(`${dialect}: what a stranger sends on the socket gets a catalogue code`, () => {
    let h: Harness;
    let port: number;
    let openapi: OpenApiResponses;
    beforeAll(async () => {
      h = await startHarness(dialect);
      ({ port, openapi } = await hostileTarget(h.station.app));
    });
    afterAll(async () => h?.close());

    it('documents every status its catalogue can answer on every route of its OpenAPI document', () => {
      expect(undocumentedStatuses(openapi, ERROR_CATALOGUE)).toEqual([]);
    });

    const probes = (token?: string): HostileRequest[] =>
      hostileRequests({
        paramRoute: '/exits/:id',
        jsonRoute: token ? '/shifts' : '/auth/login',
        bodyLimit: JSON_BODY_MAX_BYTES,
        ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}),
      });

    for (const who of ['a stranger', 'a logged-in collector'] as const) {
      it(`answers ${who}'s malformed requests with a catalogue code and a documented status`, async () => {
        const token = who === 'a stranger' ? undefined : h.tokens.collector;
        expect(await hostileFailures(port, probes(token), ERROR_CATALOGUE, openapi)).toEqual([]);
        const alive = await rawRequest(port, rawHttp('GET', '/healthz'));
        expect(alive?.status).toBe(200);
      });
    }
  });
}
