import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE } from '../errors';
import { type Harness, startHarness, TEST_PASSWORD, TEST_USERS } from '../testing/harness';
import { DIALECTS } from '../testing/test-db';

describe('error catalogue', () => {
  it('is documented in ERRORS.md, code for code', () => {
    const doc = readFileSync(new URL('../../ERRORS.md', import.meta.url), 'utf8');
    const documented = new Set([...doc.matchAll(/`(STN_ERR_[A-Z_]+)`/g)].map((m) => m[1]));
    expect([...documented].sort()).toEqual(Object.keys(ERROR_CATALOGUE).sort());
  });
});

for (const dialect of DIALECTS) {
  describe(`${dialect}: health, metrics, docs, errors`, () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness(dialect);
    });
    afterAll(async () => h?.close());

    it('answers /healthz with the engine name', async () => {
      const r = await h.call('GET', '/healthz');
      expect(r.statusCode).toBe(200);
      expect(r.json()).toMatchObject({ status: 'ok', db: dialect });
    });

    it('serves Prometheus text at /metrics, counting and timing each request by route', async () => {
      const count = (body: string, re: RegExp) => Number(re.exec(body)?.[1] ?? 0);
      const requests =
        /tollpad_station_http_requests_total\{route="\/healthz",method="GET",status="200"\} (\d+)/;
      const timed =
        /tollpad_station_http_request_duration_seconds_count\{route="\/healthz",method="GET"\} (\d+)/;
      const before = (await h.call('GET', '/metrics')).body;
      for (let i = 0; i < 3; i++) await h.call('GET', '/healthz');
      const r = await h.call('GET', '/metrics');
      expect(r.statusCode).toBe(200);
      expect(r.headers['content-type']).toMatch(/text\/plain/);
      expect(count(r.body, requests) - count(before, requests)).toBe(3);
      expect(count(r.body, timed) - count(before, timed)).toBe(3);
    });

    it('times the WAL flushes that writes wait for at /metrics (SQLite; PostgreSQL syncs its own)', async () => {
      const flushes = (body: string) =>
        Number(/tollpad_station_wal_flush_seconds_count (\d+)/.exec(body)?.[1] ?? Number.NaN);
      const before = flushes((await h.call('GET', '/metrics')).body);
      const r = await h.call('POST', '/auth/login', {
        body: { username: TEST_USERS.monitor, password: TEST_PASSWORD },
      });
      expect(r.statusCode).toBe(200); // a login writes (session, audit)
      const after = flushes((await h.call('GET', '/metrics')).body);
      if (dialect === 'sqlite') expect(after).toBeGreaterThan(before);
      else expect([before, after]).toEqual([0, 0]);
    });

    it('serves the OpenAPI document and the docs page', async () => {
      const spec = await h.call('GET', '/docs/json');
      expect(spec.statusCode).toBe(200);
      expect(spec.json().paths['/auth/login']).toBeDefined();
      const page = await h.call('GET', '/docs/');
      expect(page.statusCode).toBe(200);
    });

    it('answers unknown routes and invalid bodies with stable codes and echoes the request id', async () => {
      const nf = await h.call('GET', '/nope', { headers: { 'x-request-id': 'req-test-1' } });
      expect(nf.statusCode).toBe(404);
      expect(nf.json()).toMatchObject({ code: 'STN_ERR_REQ_NOT_FOUND', requestId: 'req-test-1' });
      const bad = await h.call('POST', '/auth/login', { body: { username: 'x' } });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().code).toBe('STN_ERR_REQ_INVALID');
      const notJson = await h.call('POST', '/auth/login', {
        body: '{oops',
        headers: { 'content-type': 'application/json' },
      });
      expect(notJson.statusCode).toBe(400);
      expect(notJson.json().code).toBe('STN_ERR_REQ_INVALID');
    });
  });
}
