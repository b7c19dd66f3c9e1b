import { type HostileRequest, hostileRequests, rawHttp, rawRequest } from '@tollpad/server-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE } from '../errors';
import { type Harness, startHarness } from '../testing/harness';
import { DIALECTS } from '../testing/test-db';
import { JSON_BODY_MAX_BYTES } from './app';

for (const dialect of DIALECTS) {
  describe(`${dialect}: what a stranger sends on the socket gets a catalogue code`, () => {
    let h: Harness;
    let port: number;
    let openapi: { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
    beforeAll(async () => {
      h = await startHarness(dialect);
      await h.station.app.listen({ port: 0, host: '127.0.0.1' });
      port = (h.station.app.server.address() as { port: number }).port;
      openapi = (await h.call('GET', '/docs/json')).json();
    });
    afterAll(async () => h?.close());

    it('documents every status its catalogue can answer on every route of its OpenAPI document', () => {
      const statuses = new Set(Object.values(ERROR_CATALOGUE).map((e) => String(e.status)));
      const missing = Object.entries(openapi.paths).flatMap(([path, ops]) =>
        Object.entries(ops).flatMap(([method, op]) =>
          [...statuses].filter((s) => !(s in op.responses)).map((s) => `${method} ${path} ${s}`),
        ),
      );
      expect(missing).toEqual([]);
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
        const failures: string[] = [];
        for (const p of probes(who === 'a stranger' ? undefined : h.tokens.collector)) {
          const r = await rawRequest(port, p.request);
          const code = (r?.json as { code?: string } | undefined)?.code;
          const entry =
            code === undefined ? undefined : ERROR_CATALOGUE[code as keyof typeof ERROR_CATALOGUE];
          const documented = Object.values(openapi.paths).every((ops) =>
            Object.values(ops).every((op) => String(r?.status) in op.responses),
          );
          if (r?.status !== p.status || entry?.status !== r.status || !documented) {
            failures.push(`${p.name}: ${r?.status} ${r?.body.slice(0, 160)} (documented: ${documented})`);
          }
        }
        expect(failures).toEqual([]);
        const alive = await rawRequest(port, rawHttp('GET', '/healthz'));
        expect(alive?.status).toBe(200);
      });
    }
  });
}
