import { describe, expect, it } from 'vitest';
import { shot } from './browser';
import { loggedInPage, Taps, toFee, trainingVehicle, useRig } from './setup';

describe('handheld in a real browser: 【通行路径】', () => {
  const rig = useRig();

  it('opens the path of an ETC exit: the list (entry, gantries with time and fee, exit), the map and a photo full size', async () => {
    const page = await loggedInPage(rig());
    await trainingVehicle(page, 'car');
    const taps = new Taps(page);
    await toFee(page, rig().station.world.laneId, taps, 'exit-path');
    await page.getByTestId('path-toggle').click();
    await page.waitForSelector('[data-testid=path-panel] [data-testid=path-list]', { timeout: 15_000 });
    // The fake centre's fitted path: its first gantry observed (time, fee, photo), the others fitted.
    expect(await page.getByTestId('path-source').getAttribute('data-source')).toBe('centre');
    const list = page.getByTestId('path-list');
    expect(await list.locator('tr[data-kind=entry]').count()).toBe(1);
    expect(await list.locator('tr[data-kind=exit]').count()).toBe(1);
    const observed = list.locator('tr[data-kind=gantry][data-observed=true]');
    expect(await observed.count()).toBe(1);
    expect(await observed.textContent()).toMatch(/¥\d+\.\d{2}/);
    expect(await observed.textContent()).toMatch(/\d{2}-\d{2} \d{2}:\d{2}:\d{2}/);
    // The map: a line through every placed node, entry and exit marked.
    const map = page.getByTestId('path-map');
    await map.waitFor();
    expect(await map.locator('g[data-kind=entry]').count()).toBe(1);
    expect(await map.locator('g[data-kind=exit]').count()).toBe(1);
    expect(await map.locator('g[data-kind=gantry]').count()).toBeGreaterThan(0);
    // The gantry photo through the station, and the collector's own exit photo; a tap opens one full size.
    const gantryThumb = page.locator('[data-testid=path-thumb][data-source=gantry]');
    await gantryThumb.waitFor({ timeout: 15_000 });
    await page.locator('[data-testid=path-thumb][data-source=exit]').waitFor();
    const loaded = await gantryThumb.evaluate((img) => (img as HTMLImageElement).naturalWidth);
    expect(loaded).toBeGreaterThan(0);
    await gantryThumb.click();
    await page.getByTestId('path-photo-full').waitFor();
    await shot(page, 'exit-path', '01-photo-full');
    await page.getByTestId('path-photo-full').click();
    await shot(page, 'exit-path', '02-path');
    // Closing the path leaves the exit where it was: the fee is still there to collect.
    await page.getByTestId('path-toggle').click();
    expect(await page.getByTestId('path-panel').count()).toBe(0);
    await page.waitForSelector('[data-testid=fee-info]');
    await page.context().close();
  }, 90_000);
});
