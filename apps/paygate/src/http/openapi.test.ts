import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE, ORDER_FAILURE_CODES } from '../errors';
import { type Harness, startHarness } from '../testing/harness';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const [refusals = '', orderFailures = ''] = readme.split('Order failures (');

describe('the OpenAPI document and the README', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h?.close());

  const routes = () => h.paygate.routeTable.filter((r) => !r.url.startsWith('/docs'));

  it('serves /openapi.json with every route, each with its security', async () => {
    const res = await h.raw('GET', '/openapi.json');
    expect(res.statusCode).toBe(200);
    const doc = res.json() as {
      openapi: string;
      paths: Record<string, Record<string, { security?: unknown[] }>>;
      components: { securitySchemes: Record<string, unknown> };
    };
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['adminToken', 'merchantSignature']);
    expect(routes().length).toBeGreaterThanOrEqual(18);
    for (const r of routes()) {
      const path = r.url.replace(/:(\w+)/g, '{$1}');
      const op = doc.paths[path]?.[r.method.toLowerCase()];
      expect(op, `${r.method} ${r.url}`).toBeDefined();
      const expected =
        r.access === 'merchant'
          ? [{ merchantSignature: [] }]
          : r.access === 'admin'
            ? [{ adminToken: [] }]
            : [];
      expect(op?.security, `${r.method} ${r.url}`).toEqual(expected);
    }
  });

  it('every merchant route refuses an unsigned request, every control route a request without the token', async () => {
    for (const r of routes()) {
      if (r.access !== 'merchant' && r.access !== 'admin') continue;
      const url = r.url.replace(':outTradeNo', 'TP1-1').replace(':day', '2026-12-06').replace(':id', '1');
      const res = await h.raw(r.method as 'GET', url, r.hasBody ? { body: {} } : {});
      expect(res.json().code, `${r.method} ${r.url}`).toBe(
        r.access === 'merchant' ? 'PGW_ERR_SIGN_MISSING' : 'PGW_ERR_ADMIN_REQUIRED',
      );
    }
  });

  it('documents every route and every error code in README.md, order failures apart', () => {
    for (const r of routes()) expect(readme, `${r.method} ${r.url}`).toContain(`${r.method} ${r.url}`);
    const failures = new Set<string>(ORDER_FAILURE_CODES);
    for (const code of Object.keys(ERROR_CATALOGUE)) {
      expect(failures.has(code) ? orderFailures : refusals, code).toContain(`\`${code}\``);
    }
  });

  it('answers an unknown route with the catalogue body', async () => {
    const res = await h.raw('GET', '/nowhere');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'PGW_ERR_REQ_NOT_FOUND', message: '接口不存在' });
  });
});
