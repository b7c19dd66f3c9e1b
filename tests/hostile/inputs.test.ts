import { rawHttp, rawRequest } from '@tollpad/server-kit';
import { beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE as CENTRE_CATALOGUE } from '../../apps/centre/src/errors';
import { ERROR_CATALOGUE as STATION_CATALOGUE } from '../../apps/station/src/errors';
import { hugeDimensionsPng, interlacedZerosPng } from '../../apps/station/src/testing/image-bombs';
import { DEMO, loginToken, useTopology } from './topology';

/**
 * Inputs that cost a server more than they weigh, sent over the network to every server of the demo: the
 * station, the centre, the handheld page server and the lane simulator's control port. Each is answered
 * with a 4xx carrying a stable code, and every process is still there afterwards.
 */
describe('hostile: inputs that cost too much', () => {
  const t = useTopology();
  let collector: string;
  beforeAll(async () => {
    collector = await loginToken(t().stationFetch, t().stationUrl, {
      ...DEMO.collector,
      terminalId: DEMO.terminalId,
    });
  }, 120_000);

  for (const [name, bomb, code] of [
    ['a PNG announcing 100,000 × 100,000 pixels', hugeDimensionsPng, 'STN_ERR_IMAGE_DIMENSIONS'],
    ['an interlaced PNG whose 1 MiB inflates to 1 GiB', interlacedZerosPng, 'STN_ERR_IMAGE_INTERLACED'],
  ] as const) {
    it(`the station refuses ${name} with ${code} and answers /healthz right after`, async () => {
      const res = await t().stationFetch(`${t().stationUrl}/images`, {
        method: 'POST',
        headers: { authorization: `Bearer ${collector}`, 'content-type': 'image/png' },
        body: new Uint8Array(bomb()),
      });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(((await res.json()) as { code: string }).code).toBe(code);
      expect((await t().stationFetch(`${t().stationUrl}/healthz`)).status).toBe(200);
    });
  }

  const PROBES = [
    'malformed percent-encoding',
    'malformed percent-encoding in a parameter',
    '100k nested brackets',
    '100k nested brackets, closed',
    'a 300-character parameter',
    'a 20,000-character URL',
    'a wrong media type',
    'text claiming to be JSON',
  ] as const;
  type Probe = (typeof PROBES)[number];
  const probe = (what: Probe, json: string, param: string): Buffer => {
    const post = (body: string, type = 'application/json') =>
      rawHttp('POST', json, { headers: { 'content-type': type }, body });
    switch (what) {
      case 'malformed percent-encoding':
        return rawHttp('GET', '/%E0%A4%A');
      case 'malformed percent-encoding in a parameter':
        return rawHttp('GET', `${param}%E0%A4%A`);
      case '100k nested brackets':
        return post('['.repeat(100_000));
      case '100k nested brackets, closed':
        return post(`${'['.repeat(100_000)}${']'.repeat(100_000)}`);
      case 'a 300-character parameter':
        return rawHttp('GET', `${param}${'x'.repeat(300)}`);
      case 'a 20,000-character URL':
        return rawHttp('GET', `/${'x'.repeat(20_000)}`);
      case 'a wrong media type':
        return post('<a/>', 'application/xml');
      case 'text claiming to be JSON':
        return post('not json at all');
    }
  };
  interface Server {
    name: string;
    port: () => number;
    tls: () => Promise<{ ca: string; cert?: string; key?: string } | undefined>;
    json: string;
    param: string;
    known: (code: string) => boolean;
  }
  const SERVERS: Server[] = [
    {
      name: 'the station',
      port: () => t().stationPort,
      tls: async () => ({ ca: t().stationCa }),
      json: '/auth/login',
      param: '/exits/',
      known: (code) => code in STATION_CATALOGUE,
    },
    {
      name: 'the centre, to a stranger',
      port: () => t().centrePort,
      tls: async () => ({ ca: t().centreCa }),
      json: '/online-fee',
      param: '/records/',
      known: (code) => code in CENTRE_CATALOGUE,
    },
    {
      name: 'the centre, to a station',
      port: () => t().centrePort,
      tls: () => t().stationCredentials(t().stationId),
      json: '/online-fee',
      param: '/records/',
      known: (code) => code in CENTRE_CATALOGUE,
    },
    {
      name: 'the handheld page server',
      port: () => t().pagePort,
      tls: async () => ({ ca: t().stationCa }),
      json: '/auth/login',
      param: '/exits/',
      // Its own codes are DEMO_*; what it passes on is the station's.
      known: (code) => /^DEMO_[A-Z_]+$/.test(code) || code in STATION_CATALOGUE,
    },
    {
      name: 'the lane simulator control port',
      port: () => t().laneSimPort,
      tls: async () => undefined,
      json: '/vehicle',
      param: '/',
      // Its own small catalogue (apps/lane-sim/src/control-server.ts).
      known: (code) => /^[A-Z][A-Z_]+$/.test(code),
    },
  ];
  /** Probes a server has no defence for yet: listed as todo, not faked. */
  const NOT_LANDED: Partial<Record<string, Probe[]>> = {};

  for (const s of SERVERS) {
    const pending = NOT_LANDED[s.name] ?? [];
    for (const what of pending) it.todo(`${s.name}: ${what} — defence not landed`);
    it(`${s.name}: malformed URLs, 100k nested brackets, oversized URLs, wrong media types get a 4xx with a code`, async () => {
      const tls = await s.tls();
      const wrong: string[] = [];
      for (const what of PROBES.filter((p) => !pending.includes(p))) {
        const r = await rawRequest(s.port(), probe(what, s.json, s.param), 15_000, tls).catch(
          (e: unknown) => `${e}`,
        );
        const code = typeof r === 'object' ? (r?.json as { code?: unknown } | undefined)?.code : undefined;
        const ok =
          typeof r === 'object' &&
          r !== null &&
          r.status >= 400 &&
          r.status < 500 &&
          typeof code === 'string' &&
          s.known(code);
        if (!ok)
          wrong.push(`${what}: ${typeof r === 'object' ? `${r?.status} ${r?.body.slice(0, 120)}` : r}`);
      }
      expect(t().ended()).toEqual([]);
      expect(wrong).toEqual([]);
    });
  }

  it('every server is still up', async () => {
    expect(t().ended()).toEqual([]);
    expect(await t().health()).toEqual({ station: 200, centre: 200, page: 200, laneSim: 200 });
  });
});
