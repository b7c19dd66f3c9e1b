import type { StoredRecord } from '@tollpad/station-api';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { seriousViolations } from './axe';
import { shot } from './browser';
import { centreRecord, NOCARD_SEEN } from './centre';
import { loggedInPage, type Rig, Taps, useRig } from './setup';

/** Home → lane → 【无卡交易】 → 【无卡登记】 with the form's choices (stops at the opened exit or an error). */
async function register(
  page: Page,
  laneId: string,
  taps: Taps,
  form: { reason?: 'no-card' | 'lost' | 'damaged'; refused?: boolean },
): Promise<void> {
  await taps.tap(`[data-lane="${laneId}"]`);
  await taps.tap('[data-testid=start-none-exit]');
  await page.waitForSelector('[data-testid=no-card-form]');
  if (form.reason) await taps.tap(`[data-testid=no-card-reason-${form.reason}]`);
  if (form.refused) await taps.tap('[data-testid=entry-refused]');
  await taps.tap('[data-testid=no-card-open]');
  await page.waitForSelector('[data-testid=no-card-actions], [data-testid=error]');
}

/** … plate, photo, 【提交图片数据】, 车型 1, 【算费】 (stops at the fee). */
async function toFee(page: Page, taps: Taps, plate: string): Promise<void> {
  await page.fill('#plate', plate);
  await taps.tap('[data-testid=take-photo]');
  await page.waitForSelector('img.photo');
  await taps.tap('[data-testid=submit-image]');
  await page.waitForSelector('text=图片数据已提交');
  await page.selectOption('#vclass', '1');
  await taps.tap('[data-testid=compute-fee]');
  await page.waitForSelector('[data-testid=fee-info]');
}

/** 【现金】 → 【确认收款】 → the result. */
async function payCash(page: Page, taps: Taps): Promise<string> {
  await taps.tap('[data-testid=collect-cash]');
  await page.waitForSelector('[data-testid=cash-confirm]');
  await taps.tap('[data-testid=confirm-cash]');
  await page.waitForSelector('[data-testid=no-card-done]', { timeout: 20_000 });
  return (await page.getByTestId('trade-id').textContent()) ?? '';
}

/**
 * The record as the station stored it and as the real centre accepted it from the station's relay (the upload
 * is asynchronous: `GET /records/:tradeId` at the centre until it is there).
 */
async function recordsOf(rig: Rig, tradeId: string) {
  const records = await rig.station.api('monitor', 'GET', '/records?limit=50');
  const atStation = (records.json as StoredRecord[]).find((r) => r.tradeId === tradeId);
  return { atStation, atCentre: await centreRecord(rig.station.centre, tradeId) };
}

describe('handheld in a real browser: 无卡交易', () => {
  const rig = useRig();

  it('a vehicle with no card whose trip the centre holds: fee by plate (4), cash, the record at the centre (mediaType 9, 36)', async () => {
    const r = rig();
    const page = await loggedInPage(r);
    const taps = new Taps(page);
    await register(page, r.station.world.laneId, taps, { reason: 'no-card' });
    await shot(page, 'none-plate', '01-registered');
    await toFee(page, taps, NOCARD_SEEN.plate);
    expect(await page.getByTestId('fee-rule').textContent()).toContain('NOCARD.PLATE');
    expect(await page.getByTestId('fee-card-cost').textContent()).toBe('¥0.00');
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'none-plate', '02-fee');
    const tradeId = await payCash(page, taps);
    await shot(page, 'none-plate', '03-done');
    console.log(`[handheld] no-card exit (by plate): ${taps.n} taps from home to the result`);
    const { atStation, atCentre } = await recordsOf(r, tradeId);
    expect(atStation).toMatchObject({ exitFeeType: 4, vehicleId: `${NOCARD_SEEN.plate}_0` });
    expect(atCentre).toMatchObject({
      id: tradeId,
      mediaType: 9,
      noCardReason: 'no-card',
      feeRule: 'NOCARD.PLATE',
      cardCost: 0,
      specialType: '36',
      payType: 1,
    });
    expect(atCentre.passId).toMatch(new RegExp(`^030${r.station.world.laneId}\\d{14}$`));
    await page.context().close();
  });

  it('a lost CPC, the driver refuses the entry: the farthest route with the monitor, ¥40 apart, recorded at the centre', async () => {
    const r = rig();
    const page = await loggedInPage(r);
    const taps = new Taps(page);
    await register(page, r.station.world.laneId, taps, { reason: 'lost', refused: true });
    await toFee(page, taps, '鲁B80002');
    expect(await page.getByTestId('fee-rule').textContent()).toContain('NOCARD.FARTHEST');
    expect(await page.getByTestId('fee-card-cost').textContent()).toBe('¥40.00');
    // The monitor confirms the farthest-route fee (the existing authorisation).
    const txnId = decodeURIComponent((await page.evaluate(() => location.hash)).split('/').at(-1) ?? '');
    const ok = await r.station.api('monitor', 'POST', `/exits/${txnId}/authorisation`, {
      approve: true,
      reason: '司机拒绝告知入口，按最远路径 (TEST)',
    });
    expect(ok.status).toBe(200);
    await page.waitForSelector('[data-testid=collect-cash]:not([disabled])', { timeout: 20_000 });
    const tradeId = await payCash(page, taps);
    const { atCentre } = await recordsOf(r, tradeId);
    expect(atCentre).toMatchObject({
      mediaType: 9,
      noCardReason: 'lost',
      feeRule: 'NOCARD.FARTHEST',
      entryRefused: true,
      cardCost: 4000,
      exitFeeType: 6,
    });
    expect(atCentre.specialType.split('|')).toContain('36');
    expect(atCentre.fee - 4000).toBeGreaterThan(0);
    await page.context().close();
  });
});
