import type { StoredRecord } from '@tollpad/station-api';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { seriousViolations } from './axe';
import { shot } from './browser';
import { centreGreenInspection, centreRecord } from './centre';
import { loggedInPage, type Rig, Taps, trainingVehicle, useRig } from './setup';

/** The station HEX is learned after login; a training CPC is planned to it, so wait for it first. */
async function stationKnown(page: Page): Promise<void> {
  await page.waitForFunction(() => localStorage.getItem('tollpad.stationHex') !== null);
}

/** Home → lane → 【CPC卡交易】 → 【读卡】 → photo → 【提交图片数据】 (stops with the image submitted). */
async function toImaged(page: Page, laneId: string, taps: Taps): Promise<void> {
  await taps.tap(`[data-lane="${laneId}"]`);
  await taps.tap('[data-testid=start-cpc-exit]');
  await page.waitForSelector('[data-testid=read-card]');
  await taps.tap('[data-testid=read-card]');
  await page.waitForSelector('[data-testid=card-panel]');
  await taps.tap('[data-testid=take-photo]');
  await page.waitForSelector('img.photo');
  await taps.tap('[data-testid=submit-image]');
  await page.waitForSelector('text=图片数据已提交');
}

/** 【绿通查验】: three photos of the load, fresh vegetables and fruit from the catalogue, then the verdict. */
async function inspect(page: Page, taps: Taps, verdict: 'pass' | 'fail'): Promise<void> {
  await page.waitForSelector('[data-testid=green-area]');
  for (let i = 1; i <= 3; i++) {
    await taps.tap('[data-testid=green-take-photo]');
    await page.waitForFunction(
      (n) => document.querySelectorAll('[data-testid=green-photos] button').length === n,
      i,
    );
  }
  await page.locator('[data-testid=green-cargo] summary', { hasText: '新鲜蔬菜' }).click();
  await taps.tap('[data-testid=cargo-V01]');
  await page.locator('[data-testid=green-cargo] summary', { hasText: '新鲜水果' }).click();
  await taps.tap('[data-testid=cargo-F01]');
  await taps.tap(`[data-testid=green-${verdict}]`);
  await page.waitForSelector('[data-testid=green-result]', { timeout: 20_000 });
}

/** The monitor approves when the station asks (a CPC's entry status flag may differ from kind 21). */
async function approveIfAsked(rig: Rig, page: Page): Promise<void> {
  const waiting = await page
    .waitForSelector('[data-testid=waiting-auth]', { timeout: 1_500 })
    .then(() => true)
    .catch(() => false);
  if (!waiting) return;
  const list = await rig.station.api('monitor', 'GET', '/exits?authStatus=required');
  for (const t of list.json as { id: string }[])
    await rig.station.api('monitor', 'POST', `/exits/${t.id}/authorisation`, {
      approve: true,
      reason: '绿通核实 (TEST)',
    });
}

async function recordOf(rig: Rig, tradeId: string): Promise<StoredRecord> {
  const records = await rig.station.api('monitor', 'GET', '/records?limit=50');
  const mine = (records.json as StoredRecord[]).filter((r) => r.tradeId === tradeId);
  expect(mine).toHaveLength(1);
  return mine[0]!;
}

/**
 * The station's relay uploads the record, then its inspection right behind it: both as the real centre holds
 * them (`GET /records/:tradeId`, and the inspection it linked to that record).
 */
async function atCentre(rig: Rig, tradeId: string) {
  const record = await centreRecord(rig.station.centre, tradeId);
  const inspection = await centreGreenInspection(rig.station.centre, tradeId);
  return { record, inspection };
}

describe('handheld in a real browser: 绿通查验', () => {
  const rig = useRig();

  it('a green truck with an appointment passes: free (¥0.00, no payment taken), record and inspection at the centre', async () => {
    const page = await loggedInPage(rig());
    await stationKnown(page);
    await trainingVehicle(page, 'green-appointed');
    const taps = new Taps(page);
    await toImaged(page, rig().station.world.laneId, taps);
    // The appointment opens the step by itself, with the plate's list status.
    await page.waitForSelector('[data-testid=green-status]');
    expect(await page.getByTestId('green-status').textContent()).toContain('已预约');
    await inspect(page, taps, 'pass');
    expect(await page.getByTestId('green-result').textContent()).toContain('查验合格');
    await shot(page, 'green-pass', '01-inspected');
    // The kind is 21 now: 【算费】 prices it free.
    await taps.tap('[data-testid=compute-fee]');
    await page.waitForSelector('[data-testid=fee-info]');
    await approveIfAsked(rig(), page);
    await page.waitForSelector('[data-testid=pass-free]:not([disabled])', { timeout: 20_000 });
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'green-pass', '02-free');
    await taps.tap('[data-testid=pass-free]');
    await page.waitForSelector('[data-testid=collect-cpc]', { timeout: 20_000 });
    expect(await page.getByTestId('result-amount').textContent()).toBe('¥0.00');
    await shot(page, 'green-pass', '03-done');
    console.log(`[handheld] green-channel pass: ${taps.n} taps from home to 「收回CPC卡」`);

    const tradeId = (await page.getByTestId('trade-id').textContent()) ?? '';
    const stored = await recordOf(rig(), tradeId);
    expect(stored.record).toMatchObject({
      fee: 0,
      vehicleClass: 21,
      vehicleSign: 2,
      discountType: 1,
      mediaType: 2,
      vehicleId: '鲁B6T101_1',
    });
    expect((stored.record as { payFee: number }).payFee).toBeGreaterThan(0);
    expect((stored.record as { specialType: string }).specialType.split('|')).toContain('128');
    const centre = await atCentre(rig(), tradeId);
    expect(centre.record.greenInspectionId).toBe(centre.inspection.id);
    expect(centre.inspection).toMatchObject({
      tradeId,
      result: 'pass',
      passed: true,
      cargo: ['V01', 'F01'],
      appointment: { type: 1 },
      ban: null,
    });
    expect(centre.inspection.photos).toHaveLength(3);
    await page.context().close();
  }, 120_000);

  it('a green truck without an appointment fails: the normal fee in cash with special 126, record and inspection at the centre', async () => {
    const page = await loggedInPage(rig());
    await stationKnown(page);
    await trainingVehicle(page, 'green-unlisted');
    const taps = new Taps(page);
    await toImaged(page, rig().station.world.laneId, taps);
    // No appointment: the collector opens the step.
    await taps.tap('[data-testid=green-open]');
    await page.waitForSelector('[data-testid=green-status]');
    expect(await page.getByTestId('green-status').textContent()).toContain('无预约');
    await inspect(page, taps, 'fail');
    expect(await page.getByTestId('green-result').textContent()).toContain('不合格');
    await taps.tap('[data-testid=compute-fee]');
    await page.waitForSelector('[data-testid=fee-info]');
    await approveIfAsked(rig(), page);
    await page.waitForSelector('[data-testid=collect-cash]:not([disabled])', { timeout: 20_000 });
    expect(await page.getByTestId('pass-free').count()).toBe(0);
    await taps.tap('[data-testid=collect-cash]');
    await page.waitForSelector('[data-testid=cash-confirm]');
    await taps.tap('[data-testid=confirm-cash]');
    await page.waitForSelector('[data-testid=collect-cpc]', { timeout: 20_000 });
    await shot(page, 'green-fail', '01-paid');
    const tradeId = (await page.getByTestId('trade-id').textContent()) ?? '';
    const stored = await recordOf(rig(), tradeId);
    expect(stored.fee).toBeGreaterThan(0);
    expect((stored.record as { specialType: string }).specialType.split('|')).toContain('126');
    const centre = await atCentre(rig(), tradeId);
    expect(centre.record.greenInspectionId).toBe(centre.inspection.id);
    expect(centre.inspection).toMatchObject({ tradeId, result: 'fail', passed: false, appointment: null });
    await page.context().close();
  }, 120_000);

  it('a banned truck: the ban is shown and a pass is refused', async () => {
    const page = await loggedInPage(rig());
    await stationKnown(page);
    await trainingVehicle(page, 'green-banned');
    const taps = new Taps(page);
    await toImaged(page, rig().station.world.laneId, taps);
    await page.waitForSelector('[data-testid=green-ban]');
    expect(await page.getByTestId('green-ban').textContent()).toContain('多次假冒绿通');
    await inspect(page, taps, 'pass');
    expect(await page.getByTestId('green-result').textContent()).toContain('绿通禁止名单');
    expect(await seriousViolations(page)).toEqual([]);
    await page.context().close();
  }, 120_000);
});
