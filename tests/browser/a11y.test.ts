import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { phoneContext, shot } from './browser';
import { loggedInPage, type Rig, startRig, Taps, toFee, trainingVehicle } from './setup';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** axe-core on the page as it is now; returns the serious and critical violations. */
async function serious(page: Page): Promise<Violation[]> {
  // Evaluated by the test driver, not added as a <script>: the page's CSP allows no inline or foreign script.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  const r = await page.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run(ctx: Document, o: object): Promise<{ violations: Violation[] }> } }
    ).axe;
    return axe.run(document, { resultTypes: ['violations'] });
  });
  return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

function summary(v: Violation[]): string[] {
  return v.map((x) => `${x.id}: ${x.help} @ ${x.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

describe('handheld accessibility (axe-core): no serious violations on any screen', () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRig();
  }, 120_000);
  afterAll(async () => rig?.close());

  it('login, home, reader panel, exit (read, fee, result), report, monitor', async () => {
    const ctx = await phoneContext(rig.browser);
    const login = await ctx.newPage();
    await login.goto(`${rig.shellUrl}/#/login`);
    await login.waitForSelector('#username');
    expect(summary(await serious(login))).toEqual([]);
    await ctx.close();

    const page = await loggedInPage(rig);
    expect(summary(await serious(page))).toEqual([]);
    await page.getByTestId('reader-toggle').click();
    expect(summary(await serious(page))).toEqual([]);
    await page.getByTestId('reader-toggle').click();
    await trainingVehicle(page, 'plate-mismatch');
    await toFee(page, rig.station.world.laneId, new Taps(page), 'a11y');
    expect(summary(await serious(page))).toEqual([]);
    await page.getByTestId('submit-data').click();
    await page.waitForSelector('[data-testid=result]');
    expect(summary(await serious(page))).toEqual([]);
    await page.getByTestId('back-home').click();
    await page.evaluate(() => {
      location.hash = '#/report';
    });
    await page.waitForSelector('[data-testid=report]');
    expect(summary(await serious(page))).toEqual([]);
    await shot(page, 'a11y', 'report');

    const monitor = await loggedInPage(rig, 'monitor');
    await monitor.waitForSelector('[data-testid=records]');
    expect(summary(await serious(monitor))).toEqual([]);
    await shot(monitor, 'a11y', 'monitor');
  }, 90_000);
});
