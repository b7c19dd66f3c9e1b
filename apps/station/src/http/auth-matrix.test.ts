import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES } from '../services/auth.service';
import { type Harness, startHarness, TEST_PASSWORD, TEST_USERS } from '../testing/harness';
import { DIALECTS } from '../testing/test-db';

/**
 * Every route × every role × no session, generated from the live route table: a new route is covered
 * the moment it is registered. Authorisation runs in onRequest, before validation, so the probe body
 * does not matter for the 401/403 answers.
 */
for (const dialect of DIALECTS) {
  describe(`${dialect}: auth matrix`, () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness(dialect);
    });
    afterAll(async () => h?.close());

    it('covers a non-trivial route table', () => {
      expect(h.station.routeTable.filter((r) => r.access !== 'public').length).toBeGreaterThan(5);
    });

    it('answers every route correctly for every role and for no session', async () => {
      const failures: string[] = [];
      for (const route of h.station.routeTable) {
        const url = route.url.replace(/:[A-Za-z]+/g, 'x').replace('*', 'x');
        const method = route.method as 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
        const anon = await h.call(method, url, { body: method === 'GET' ? undefined : {} });
        if (route.access === 'public') {
          if (anon.statusCode === 401 || anon.statusCode === 403)
            failures.push(`${method} ${url} public → ${anon.statusCode}`);
          continue;
        }
        if (anon.statusCode !== 401 || anon.json().code !== 'STN_ERR_AUTH_REQUIRED') {
          failures.push(`${method} ${url} anon → ${anon.statusCode}`);
        }
        for (const role of ROLES) {
          // A fresh session per probe: some routes (logout) consume it.
          const { token } = await h.station.services.auth.login(
            TEST_USERS[role],
            TEST_PASSWORD,
            'HH-TEST-01',
          );
          const r = await h.call(method, url, { token, body: method === 'GET' ? undefined : {} });
          const allowed = route.access.includes(role);
          if (allowed && (r.statusCode === 401 || r.statusCode === 403)) {
            failures.push(`${method} ${url} ${role} (allowed) → ${r.statusCode}`);
          }
          if (!allowed && (r.statusCode !== 403 || r.json().code !== 'STN_ERR_AUTH_FORBIDDEN')) {
            failures.push(`${method} ${url} ${role} (forbidden) → ${r.statusCode}`);
          }
        }
      }
      expect(failures).toEqual([]);
    });
  });
}
