import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_MERCHANTS } from '../../apps/paygate/src/fixtures/test-merchants';
import { signedHttps } from '../../apps/paygate/src/testing/https-client';
import { type Proc, startTsx } from '../../scripts/sim/processes';
import { fetchTrusting } from '../../scripts/sim/tls-fetch';

/**
 * `npm start` on a fresh machine: the launcher with free ports and an empty data directory comes up,
 * says ready, answers on every URL it printed, and stops cleanly.
 */
describe('e2e: the demo command', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tollpad-demo-'));
  let demo: Proc | undefined;
  afterAll(async () => {
    await demo?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts, answers on its URLs and stops', async () => {
    demo = startTsx('demo', 'scripts/demo.ts', {
      DEMO_PORTS: '0',
      DEMO_DATA_DIR: dataDir,
      DEMO_VERBOSE: '1',
    });
    await demo.waitFor(/tollpad demo ready/, 150_000);
    const url = (label: RegExp) => {
      const line = demo!.lines.find((l) => label.test(l));
      const m = line?.match(/https?:\/\/127\.0\.0\.1:\d+/);
      if (!m) throw new Error(`no URL for ${label}`);
      return m[0];
    };
    // The station and the page server trust the demo CA the banner names; the centre has its own CA.
    const caFile = demo.lines.map((l) => l.match(/演示 CA \(TEST\)\s+(\S+)/)?.[1]).find(Boolean);
    if (!caFile) throw new Error('no demo CA in the banner');
    const fetch = fetchTrusting(readFileSync(caFile, 'utf8'));
    const centreFetch = fetchTrusting(readFileSync(join(dataDir, 'centre', 'tls', 'ca.cert.pem'), 'utf8'));
    const handheld = url(/手持机 handheld/);
    const station = url(/收费站 station API/);
    const centre = url(/省中心 centre API/);
    const laneSim = url(/车道模拟 lane-sim/);
    const paygate = url(/支付平台 paygate/);
    const paygateCaFile = demo.lines.map((l) => l.match(/支付平台 CA \(TEST\)\s+(\S+)/)?.[1]).find(Boolean);
    if (!paygateCaFile) throw new Error('no paygate CA in the banner');
    const paygateCa = readFileSync(paygateCaFile, 'utf8');
    const paygateFetch = fetchTrusting(paygateCa);
    expect(demo.lines.join('\n')).toContain('demo-collector-TEST');
    // Each process the demo started answers which runtime runs it: the launcher's banner, the servers' ready lines.
    const runtimes = [
      /运行时 runtime +Node (v[\d.]+)/,
      /^\[centre\].*"runtime":"(v[\d.]+)"/,
      /^\[station\].*"runtime":"(v[\d.]+)"/,
      /^\[lane-sim\] lane-sim ready \(Node (v[\d.]+)\)/,
      /^\[paygate\].*"runtime":"(v[\d.]+)"/,
    ].map((re) => demo!.lines.map((l) => l.match(re)?.[1]).find(Boolean));
    expect(runtimes).toEqual(Array(5).fill(process.version));

    const page = await fetch(`${handheld}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<html');
    // The handheld's origin reaches the station API (same origin for the PWA).
    const login = await fetch(`${handheld}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        username: 'demo-collector',
        password: 'demo-collector-TEST',
        terminalId: 'HH-DEMO-01',
      }),
    });
    expect(login.status).toBe(200);
    expect((await fetch(`${station}/healthz`)).status).toBe(200);
    expect((await fetch(`${station}/docs/json`)).status).toBe(200);
    expect((await centreFetch(`${centre}/healthz`)).status).toBe(200);
    const lanes = (await (await globalThis.fetch(`${laneSim}/lanes`)).json()) as unknown[];
    expect(lanes.length).toBeGreaterThan(0);
    const versions = await fetch(`${station}/sync/status`, {
      headers: { authorization: `Bearer ${((await login.json()) as { token: string }).token}` },
    });
    expect(((await versions.json()) as { tariff: { source: string } }).tariff.source).toBe('centre');
    // The payment platform is up behind its TEST CA, and the banner's TEST merchant (the one the station was
    // given) signs requests it accepts: an unknown order is the platform's signed 404, not a signature refusal.
    expect((await paygateFetch(`${paygate}/healthz`)).status).toBe(200);
    expect(demo.lines.join('\n')).toMatch(/收费站已配置 TEST 商户 TESTMCH0001/);
    const merchant = TEST_MERCHANTS.find((m) => m.id === 'TESTMCH0001');
    if (!merchant) throw new Error('no TEST merchant TESTMCH0001');
    const order = await signedHttps(
      paygate,
      { ca: paygateCa, merchant },
      'GET',
      '/v1/orders/DEMO-SMOKE-NONE',
    );
    expect({ status: order.status, signed: order.signedByPlatform }).toEqual({ status: 404, signed: true });
    expect((order.json as { code?: string }).code).toBe('PGW_ERR_ORDER_NOT_FOUND');

    await demo.stop('SIGINT', 60_000);
    expect(demo.child.exitCode).toBe(0);
    await expect(fetch(`${station}/healthz`)).rejects.toThrow();
    await expect(centreFetch(`${centre}/healthz`)).rejects.toThrow();
    await expect(paygateFetch(`${paygate}/healthz`)).rejects.toThrow();
  }, 180_000);
});
