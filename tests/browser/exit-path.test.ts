import { formatPassId } from '@tollpad/domain';
import type { ExitTransaction } from '@tollpad/station-api';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { shot } from './browser';
import { postGantryPass } from './centre';
import { loggedInPage, type Rig, Taps, toFee, trainingVehicle, useRig } from './setup';

/**
 * The gantry on the card's trip reports it to the real centre, as a gantry would have before the vehicle reached
 * the exit: its passage under the card's PassID (an ETC card's: its network, number and entry time, as the
 * station names it) with a TEST photo. Answers the gantry's HEX.
 */
async function gantryReports(rig: Rig, page: Page): Promise<string> {
  const txnId = decodeURIComponent((await page.evaluate(() => location.hash)).split('/').at(-1) ?? '');
  const exit = (await rig.station.api('monitor', 'GET', `/exits/${txnId}`)).json as ExitTransaction;
  const card = exit.card as { cardNet: string; cardId: string; entry: { stationHex: string; time: string } };
  const entryTime = new Date(card.entry.time);
  return postGantryPass(rig.station.centre, {
    passId: formatPassId({
      media: 'card',
      cardNetwork: card.cardNet,
      cardNo: card.cardId.slice(4),
      entryTime,
    }),
    entryHex: card.entry.stationHex,
    exitStationId: rig.station.world.stationId,
    vehicleClass: 1,
    time: new Date(entryTime.getTime() + 60_000),
  });
}

describe('handheld in a real browser: 【通行路径】', () => {
  const rig = useRig();

  it('opens the path of an ETC exit: the list (entry, gantries with time and fee, exit), the map and a photo full size', async () => {
    const page = await loggedInPage(rig());
    await trainingVehicle(page, 'car');
    const taps = new Taps(page);
    await toFee(page, rig().station.world.laneId, taps, 'exit-path');
    const gantry = await gantryReports(rig(), page);
    await page.getByTestId('path-toggle').click();
    await page.waitForSelector('[data-testid=path-panel] [data-testid=path-list]', { timeout: 15_000 });
    // The real centre's path of the card's pass: its first gantry observed (time, fee, photo), the others fitted.
    expect(await page.getByTestId('path-source').getAttribute('data-source')).toBe('centre');
    const list = page.getByTestId('path-list');
    expect(await list.locator('tr[data-kind=entry]').count()).toBe(1);
    expect(await list.locator('tr[data-kind=exit]').count()).toBe(1);
    const observed = list.locator('tr[data-kind=gantry][data-observed=true]');
    expect(await observed.count()).toBe(1);
    expect(await observed.textContent()).toContain(gantry);
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
