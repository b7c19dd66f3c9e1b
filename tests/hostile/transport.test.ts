import { rawHttp, rawRequest } from '@tollpad/server-kit';
import { describe, expect, it } from 'vitest';
import { DEMO, useTopology } from './topology';

/**
 * A stranger on the plaza network against the demo's transports: plain HTTP to the station's HTTPS port,
 * the metrics page through the handheld's page server, and the security headers every server sends.
 */
describe('hostile: transport', () => {
  const t = useTopology();

  it('plain HTTP to the station port gets no answer and no session, even with the right password', async () => {
    const login = rawHttp('POST', '/auth/login', {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...DEMO.collector, terminalId: DEMO.terminalId }),
    });
    const plain = await rawRequest(t().stationPort, login).catch(() => null);
    // A TLS server closes a plain-text client (at most an HTTP 400 from Node's TLS sniffing): no API answer.
    expect(plain === null || plain.status === 400).toBe(true);
    expect(plain?.body ?? '').not.toMatch(/token/i);
    // The same request over TLS does log in: the refusal above is the transport's, not the account's.
    const tls = await rawRequest(t().stationPort, login, 10_000, { ca: t().stationCa });
    expect(tls?.status).toBe(200);
    expect((tls?.json as { token?: string } | undefined)?.token).toEqual(expect.any(String));
  });

  it('a client that does not trust the station CA cannot talk to the station', async () => {
    await expect(fetch(`${t().stationUrl}/healthz`)).rejects.toThrow();
  });

  it('the page server does not lend its loopback address to /metrics, however the path is spelled', async () => {
    const direct = await rawRequest(t().stationPort, rawHttp('GET', '/metrics'), 10_000, {
      ca: t().stationCa,
    });
    // From the loopback the station does serve metrics: what the page server must not pass on.
    expect(direct?.body).toMatch(/tollpad_station_/);
    const leaks: string[] = [];
    for (const path of ['/metrics', '/metrics/', '/metrics?x=1', '/%6Detrics', '/%6detrics', '//metrics']) {
      const r = await rawRequest(t().pagePort, rawHttp('GET', path), 10_000, { ca: t().stationCa });
      if (!r || r.status === 200 || /tollpad_station_/.test(r.body)) leaks.push(`${path}: ${r?.status}`);
    }
    expect(leaks).toEqual([]);
  });

  it('every server answers with the security headers, refusals included', async () => {
    const probes = [
      { name: 'station', port: t().stationPort, path: '/no/such/route', tls: { ca: t().stationCa } },
      { name: 'centre', port: t().centrePort, path: '/no/such/route', tls: { ca: t().centreCa } },
      { name: 'page', port: t().pagePort, path: '/', tls: { ca: t().stationCa } },
    ];
    const missing: string[] = [];
    for (const p of probes) {
      const r = await rawRequest(p.port, rawHttp('GET', p.path), 10_000, p.tls);
      for (const h of [
        'content-security-policy',
        'x-content-type-options',
        'x-frame-options',
        'strict-transport-security',
      ]) {
        if (!r?.headers[h]) missing.push(`${p.name}: ${h}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('every server is still up', async () => {
    expect(t().ended()).toEqual([]);
    expect(await t().health()).toEqual({ station: 200, centre: 200, page: 200, laneSim: 200 });
  });
});
