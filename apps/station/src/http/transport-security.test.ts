import { mkdtemp, rm, stat } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { caPaths, createCa } from '@tollpad/server-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config';
import { type Harness, startHarness } from '../testing/harness';
import { DIALECTS } from '../testing/test-db';
import { stationTls } from './station-tls';

/** A stranger on the plaza network (TEST-NET-1 address). */
const STRANGER = '192.0.2.7';
const SCRAPE_TOKEN = 'TEST-scrape-token-0123456789';

function get(url: string, ca?: string): Promise<{ status: number; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = (url.startsWith('https:') ? httpsRequest : httpRequest)(url, ca ? { ca } : {}, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('station CA', () => {
  it('is made on first start with a 0600 key and reused on the next', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'tollpad-station-tls-'));
    try {
      const config = { ...loadConfig({}), dataDir };
      const first = await stationTls(config);
      const key = caPaths(join(dataDir, 'tls')).key;
      expect((await stat(key)).mode & 0o777).toBe(0o600);
      const second = await stationTls(config);
      expect(second.caFile).toBe(first.caFile);
      expect(
        second.https.cert.endsWith(
          first.https.cert.slice(first.https.cert.indexOf('-----END CERTIFICATE-----') + 26),
        ),
      ).toBe(true);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

for (const dialect of DIALECTS) {
  describe(`${dialect}: HTTPS, security headers, /metrics access`, () => {
    let h: Harness;
    let tlsDir: string;
    let caCert: string;
    let base: string;
    beforeAll(async () => {
      tlsDir = await mkdtemp(join(tmpdir(), 'tollpad-station-tls-'));
      const tls = await stationTls({ ...loadConfig({}), dataDir: tlsDir });
      caCert = tls.https.cert.slice(tls.https.cert.indexOf('-----END CERTIFICATE-----') + 26).trim();
      h = await startHarness(dialect, { metricsToken: SCRAPE_TOKEN }, { https: tls.https });
      const address = await h.station.app.listen({ port: 0, host: '127.0.0.1' });
      base = address.replace('127.0.0.1', 'localhost');
    });
    afterAll(async () => {
      await h?.close();
      await rm(tlsDir, { recursive: true, force: true });
    });

    it('serves HTTPS that a client trusting only the station CA accepts, with HSTS', async () => {
      expect(base).toMatch(/^https:/);
      const r = await get(`${base}/healthz`, caCert);
      expect(r.status).toBe(200);
      expect(r.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    });

    it('a client that does not trust the station CA refuses the connection', async () => {
      const stranger = await createCa({ commonName: 'TEST stranger CA', validityDays: 1 });
      await expect(get(`${base}/healthz`, stranger.cert)).rejects.toThrow();
    });

    it('does not answer plain HTTP on the HTTPS port', async () => {
      await expect(get(`${base.replace('https:', 'http:')}/healthz`)).rejects.toThrow();
    });

    it('sends the security headers on answers, errors and 404s', async () => {
      for (const url of ['/healthz', '/no-such-route', '/exits/x']) {
        const r = await h.call('GET', url);
        expect(r.headers['content-security-policy']).toContain("frame-ancestors 'none'");
        expect(r.headers['content-security-policy']).toContain("default-src 'self'");
        expect(r.headers['x-content-type-options']).toBe('nosniff');
        expect(r.headers['x-frame-options']).toBe('DENY');
        expect(r.headers['referrer-policy']).toBe('no-referrer');
        expect(r.headers['permissions-policy']).toContain('camera=(self)');
      }
    });

    it('refuses /metrics to a stranger off the loopback, even with a forwarded loopback address', async () => {
      for (const headers of [{}, { 'x-forwarded-for': '127.0.0.1' }, { authorization: 'Bearer wrong' }]) {
        const r = await h.station.app.inject({
          method: 'GET',
          url: '/metrics',
          remoteAddress: STRANGER,
          headers,
        });
        expect(r.statusCode).toBe(401);
        expect(r.json()).toMatchObject({ code: 'STN_ERR_AUTH_REQUIRED' });
        expect(r.body).not.toContain('tollpad_station_http_requests_total');
      }
    });

    it('serves /metrics to the scrape identity off the loopback, and to the loopback', async () => {
      const scraper = await h.station.app.inject({
        method: 'GET',
        url: '/metrics',
        remoteAddress: STRANGER,
        headers: { authorization: `Bearer ${SCRAPE_TOKEN}` },
      });
      expect(scraper.statusCode).toBe(200);
      const local = await h.station.app.inject({
        method: 'GET',
        url: '/metrics',
        remoteAddress: '127.0.0.1',
      });
      expect(local.statusCode).toBe(200);
      expect(local.body).toContain('tollpad_station_http_requests_total');
    });
  });
}
