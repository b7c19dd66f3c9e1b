import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
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
    expect(demo.lines.join('\n')).toContain('demo-collector-TEST');
    // Each process the demo started answers which runtime runs it: the launcher's banner, the servers' ready lines.
    const runtimes = [
      /运行时 runtime +Node (v[\d.]+)/,
      /^\[centre\].*"runtime":"(v[\d.]+)"/,
      /^\[station\].*"runtime":"(v[\d.]+)"/,
      /^\[lane-sim\] lane-sim ready \(Node (v[\d.]+)\)/,
    ].map((re) => demo!.lines.map((l) => l.match(re)?.[1]).find(Boolean));
    expect(runtimes).toEqual([process.version, process.version, process.version, process.version]);

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

    await demo.stop('SIGINT', 60_000);
    expect(demo.child.exitCode).toBe(0);
    await expect(fetch(`${station}/healthz`)).rejects.toThrow();
    await expect(centreFetch(`${centre}/healthz`)).rejects.toThrow();
  }, 180_000);
});
