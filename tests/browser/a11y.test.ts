import { describe, expect, it } from 'vitest';
import { seriousViolations } from './axe';
import { phoneContext, shot } from './browser';
import { loggedInPage, Taps, toFee, trainingVehicle, useRig } from './setup';

describe('handheld accessibility (axe-core): no serious violations on any screen', () => {
  const rig = useRig();

  it('login, home, reader panel, exit (read, fee, result), report, monitor', async () => {
    const ctx = await phoneContext(rig().browser);
    const login = await ctx.newPage();
    await login.goto(`${rig().shellUrl}/#/login`);
    await login.waitForSelector('#username');
    expect(await seriousViolations(login)).toEqual([]);
    await ctx.close();

    const page = await loggedInPage(rig());
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByTestId('reader-toggle').click();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByTestId('reader-toggle').click();
    await trainingVehicle(page, 'plate-mismatch');
    await toFee(page, rig().station.world.laneId, new Taps(page), 'a11y');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByTestId('submit-data').click();
    await page.waitForSelector('[data-testid=result]');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByTestId('back-home').click();
    await page.evaluate(() => {
      location.hash = '#/report';
    });
    await page.waitForSelector('[data-testid=report]');
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'a11y', 'report');

    const monitor = await loggedInPage(rig(), 'monitor');
    await monitor.waitForSelector('[data-testid=records]');
    expect(await seriousViolations(monitor)).toEqual([]);
    await shot(monitor, 'a11y', 'monitor');
  }, 90_000);
});
