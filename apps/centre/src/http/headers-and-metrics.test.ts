import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../testing/harness';
import { DIALECTS } from '../testing/test-db';

/** A stranger on the network (TEST-NET-1 address). */
const STRANGER = '192.0.2.9';
const SCRAPE_TOKEN = 'TEST-centre-scrape-token';

for (const dialect of DIALECTS) {
  describe(`${dialect}: security headers and /metrics access`, () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness(dialect, { metricsToken: SCRAPE_TOKEN });
    });
    afterAll(async () => h?.close());

    it('sends the security headers on answers and 404s', async () => {
      for (const url of ['/healthz', '/no-such-route']) {
        const r = await h.call('GET', url);
        expect(r.headers['content-security-policy']).toContain("frame-ancestors 'none'");
        expect(r.headers['x-content-type-options']).toBe('nosniff');
        expect(r.headers['x-frame-options']).toBe('DENY');
        expect(r.headers['referrer-policy']).toBe('no-referrer');
      }
    });

    it('refuses /metrics to a stranger off the loopback (forwarded headers and wrong tokens do not help)', async () => {
      for (const headers of [
        {},
        { 'x-forwarded-for': '127.0.0.1' },
        { authorization: 'Bearer TEST-wrong' },
      ]) {
        const r = await h.centre.app.inject({
          method: 'GET',
          url: '/metrics',
          remoteAddress: STRANGER,
          headers,
        });
        expect(r.statusCode).toBe(401);
        expect(r.json()).toMatchObject({ code: 'CTR_ERR_AUTH_REQUIRED' });
        expect(r.body).not.toContain('tollpad_centre_http_requests_total');
      }
    });

    it('serves /metrics to the scrape token off the loopback and to the loopback', async () => {
      const scraper = await h.centre.app.inject({
        method: 'GET',
        url: '/metrics',
        remoteAddress: STRANGER,
        headers: { authorization: `Bearer ${SCRAPE_TOKEN}` },
      });
      expect(scraper.statusCode).toBe(200);
      const local = await h.centre.app.inject({ method: 'GET', url: '/metrics', remoteAddress: '::1' });
      expect(local.statusCode).toBe(200);
    });
  });
}
