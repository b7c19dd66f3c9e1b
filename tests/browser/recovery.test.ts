import type { StoredRecord } from '@tollpad/station-api';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { shot } from './browser';
import { armFault, insertCard, loggedInPage, Taps, toFee, trainingVehicle, useRig } from './setup';

/** The committed debits on the TEST training card (its image is kept in localStorage). */
async function cardDebits(page: Page): Promise<number> {
  return page.evaluate(() => {
    const raw = localStorage.getItem('tollpad.training-card');
    return raw ? (JSON.parse(raw) as { debits: unknown[] }).debits.length : -1;
  });
}

describe('handheld in a real browser: never a debit without a record, never two', () => {
  const rig = useRig();

  async function recordsOf(cardId: string): Promise<StoredRecord[]> {
    const r = await rig().station.api('monitor', 'GET', `/records?cardId=${cardId}&limit=10`);
    return r.json as StoredRecord[];
  }

  it('the card pulled during DEBIT and put back → recovered with one debit and one record', async () => {
    const page = await loggedInPage(rig());
    await trainingVehicle(page, 'car');
    await toFee(page, rig().station.world.laneId, new Taps(page), 'tear-debit');
    await armFault(page, 'debit', 'pull');
    await page.getByTestId('submit-data').click();
    await page.waitForSelector('[data-testid=put-back]');
    await expect(page.getByTestId('put-back').textContent()).resolves.toContain('请放回原卡');
    await shot(page, 'tear-debit', '05-put-back');
    await insertCard(page);
    await page.waitForSelector('[data-testid=result]', { timeout: 20_000 });
    await shot(page, 'tear-debit', '06-recovered');
    const cardNo = (await page.getByTestId('card-no').textContent()) ?? '';
    expect(await cardDebits(page)).toBe(1);
    const recs = await recordsOf(cardNo);
    expect(recs).toHaveLength(1);
    expect(recs[0]?.tradeId).toBe(await page.getByTestId('trade-id').textContent());
    await page.context().close();
  }, 60_000);

  it('a page reload during DEBIT → recovered on the same card after the reload, one debit, one record', async () => {
    const page = await loggedInPage(rig());
    await trainingVehicle(page, 'truck');
    await toFee(page, rig().station.world.laneId, new Taps(page), 'reload-debit');
    await armFault(page, 'debit', 'reload');
    await Promise.all([page.waitForEvent('load'), page.getByTestId('submit-data').click()]);
    await page.waitForSelector('[data-testid=result]', { timeout: 20_000 });
    await shot(page, 'reload-debit', '05-recovered-after-reload');
    await expect(page.getByTestId('result').textContent()).resolves.toContain('经恢复确认');
    const cardNo = (await page.getByTestId('card-no').textContent()) ?? '';
    expect(await cardDebits(page)).toBe(1);
    expect(await recordsOf(cardNo)).toHaveLength(1);
    // The journal is empty: nothing left to recover, the home screen allows the next vehicle.
    await page.getByTestId('back-home').click();
    await page.waitForSelector('[data-testid=lanes]');
    expect(await page.getByTestId('pending-banner').count()).toBe(0);
    await page.context().close();
  }, 60_000);
});
