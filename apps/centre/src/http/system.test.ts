import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE } from '../errors';
import { type Harness, startHarness } from '../testing/harness';
import { TEST_PEER_HEADER } from './peer';

const interfacesMd = readFileSync(new URL('../../INTERFACES.md', import.meta.url), 'utf8');

describe('system routes, docs and the interface document', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness('sqlite', {
      apiToken: 'TEST-token',
      seedCardEntries: [{ key: '99010000000000000042', type: 1 }],
    });
  });
  afterAll(async () => h?.close());

  it('answers /healthz and /metrics without a token', async () => {
    const health = await h.call('GET', '/healthz');
    expect(health.statusCode).toBe(200);
    expect(health.json()).toMatchObject({ status: 'ok', db: 'sqlite', tariff: '99010101' });
    expect(health.json().lists.card).toMatch(/^\d{12}$/);
    const metrics = await h.call('GET', '/metrics');
    expect(metrics.body).toContain('tollpad_centre_http_requests_total');
  });

  it('seeds the configured TEST card entries into the first full card list', async () => {
    const res = await h.call('GET', '/lists/card/lookup/99010000000000000042', {
      headers: { authorization: 'Bearer TEST-token' },
    });
    expect(res.json().hit).toEqual({ type: 1, reason: '卡挂失' });
    expect(h.centre.services.lists.summary('card').count).toBe(201);
  });

  it('requires the API token on station routes when one is configured', async () => {
    const no = await h.call('GET', '/tariffs');
    expect(no.statusCode).toBe(401);
    expect(no.json().code).toBe('CTR_ERR_AUTH_REQUIRED');
    const yes = await h.call('GET', '/tariffs', { headers: { authorization: 'Bearer TEST-token' } });
    expect(yes.statusCode).toBe(200);
    expect((await h.call('GET', '/nowhere')).json().code).toBe('CTR_ERR_REQ_NOT_FOUND');
  });

  it('publishes an OpenAPI document with every route', async () => {
    const doc = (await h.call('GET', '/docs/json')).json() as { paths: Record<string, object> };
    for (const r of h.centre.routeTable) {
      const path = r.url.replace(/:(\w+)/g, '{$1}');
      expect(doc.paths[path], `${r.method} ${r.url}`).toBeDefined();
    }
  });

  it('counts ingest outcomes by refusal code in /metrics', async () => {
    const auth = { authorization: 'Bearer TEST-token' };
    const station = (await h.centre.services.tariffs.activeAt()).network.stations[0]!.id;
    await h.call('POST', '/records', {
      body: { id: 'x' },
      headers: { ...auth, 'idempotency-key': 'x', [TEST_PEER_HEADER]: station },
    });
    const text = (await h.call('GET', '/metrics')).body;
    expect(text).toMatch(/tollpad_centre_record_ingest_total\{outcome="CTR_ERR_RECORD_INVALID"\} 1/);
  });

  it('documents every route and every error code in INTERFACES.md', () => {
    for (const r of h.centre.routeTable) {
      expect(interfacesMd, `${r.method} ${r.url}`).toContain(`\`${r.method} ${r.url}\``);
    }
    for (const code of Object.keys(ERROR_CATALOGUE)) expect(interfacesMd, code).toContain(`\`${code}\``);
  });

  it('answers 503 with a stable code when the database is gone', async () => {
    await h.centre.services.db.close();
    const res = await h.call('GET', '/healthz');
    expect(res.statusCode).toBe(503);
    expect(res.json().code).toBe('CTR_ERR_DB_UNAVAILABLE');
    expect(res.headers['retry-after']).toBe('1');
  });
});
