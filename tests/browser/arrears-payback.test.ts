import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { seriousViolations } from './axe';
import { shot } from './browser';
import { centreArrearsEntry, centreChaseListing, centreOpenArrears } from './centre';
import { usePaygateRig } from './cpc-paygate';
import { loggedInPage, type Rig, Taps, trainingVehicle } from './setup';

/**
 * A training arrears car (arrears-*): home → lane → 【CPC卡交易】 → 【读卡】 → photo → 【提交图片数据】; the plate the
 * collector confirms is on the chase list, so the banner shows what is owed and why.
 */
async function toArrearsBanner(page: Page, rig: Rig, id: string, taps: Taps): Promise<void> {
  await page.waitForFunction(() => localStorage.getItem('tollpad.stationHex') !== null);
  await trainingVehicle(page, id);
  await taps.tap(`[data-lane="${rig.station.world.laneId}"]`);
  await taps.tap('[data-testid=start-cpc-exit]');
  await taps.tap('[data-testid=read-card]');
  await page.waitForSelector('[data-testid=card-panel]');
  await taps.tap('[data-testid=take-photo]');
  await page.waitForSelector('img.photo');
  await taps.tap('[data-testid=submit-image]');
  await page.waitForSelector('text=图片数据已提交');
  await page.waitForSelector('[data-testid=arrears-total]', { timeout: 20_000 });
}

/**
 * The station's relay uploads the payback record to the real centre, which clears the entries it names in its
 * book: each entry of `entryIds` cleared by this trade ID (polled: the upload is asynchronous), the plate's open
 * entries at `GET /arrears/:plate`, and its place on the chase list once the queued change is cut.
 */
async function clearedAtCentre(rig: Rig, tradeId: string, plate: string, entryIds: readonly string[]) {
  const c = rig.station.centre;
  for (let i = 0; i < 150; i++) {
    const entries = await Promise.all(entryIds.map((id) => centreArrearsEntry(c, id)));
    if (entries.every((e) => e?.status === 'cleared'))
      return {
        clearedBy: entries.map((e) => e?.clearedBy),
        open: await centreOpenArrears(c, plate),
        chase: await centreChaseListing(c, `${plate}_0`),
      };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`payback ${tradeId} never cleared ${entryIds.join(', ')} at the centre`);
}

/** The payback record as the station holds it (its own kind, never a toll) and whether the centre took it. */
async function paybackAtStation(rig: Rig, tradeId: string) {
  const records = await rig.station.api('monitor', 'GET', '/records?limit=50');
  return (records.json as { tradeId: string; kind: string; record: unknown }[]).filter(
    (r) => r.tradeId === tradeId,
  );
}

describe('handheld in a real browser: 追缴 at the exit and 补缴', () => {
  const { rig, paygate } = usePaygateRig('hh-arrears-');

  it('a plate on the arrears list: the banner with the amounts and why, 【补缴】 by cash, its receipt, cleared at the centre, back to the exit', async () => {
    // On the centre's chase list (its seeded book) before: the station synced it from there.
    expect(await centreChaseListing(rig().station.centre, '鲁A11801_0')).toMatchObject({ type: 1 });
    const page = await loggedInPage(rig());
    const taps = new Taps(page);
    await toArrearsBanner(page, rig(), 'arrears-black', taps);
    const banner = page.getByTestId('arrears-banner');
    expect(await page.getByTestId('arrears-total').textContent()).toContain('¥48.30');
    expect(await banner.textContent()).toContain('闯关逃费');
    expect(await banner.textContent()).toContain('倒换卡逃费');
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'arrears-payback', '01-banner');
    const exitUrl = page.url();

    await taps.tap('[data-testid=arrears-payback]');
    await page.waitForSelector('[data-testid=payback-start]');
    expect(await page.getByTestId('payback-total').textContent()).toContain('¥48.30');
    await taps.tap('[data-testid=payback-start]');
    await taps.tap('[data-testid=collect-cash]');
    await page.fill('#tendered', '50');
    expect(await page.getByTestId('change').textContent()).toContain('¥1.70');
    await taps.tap('[data-testid=confirm-cash]');
    await page.waitForSelector('[data-testid=payback-receipt]', { timeout: 30_000 });
    const receipt = page.getByTestId('payback-receipt');
    expect(await receipt.locator('h2').textContent()).toContain('补缴');
    expect(await page.getByTestId('payback-receipt-补缴金额').textContent()).toBe('¥48.30');
    expect(await page.getByTestId('payback-receipt-支付方式').textContent()).toBe('现金');
    expect(await page.getByTestId('payback-receipt-补缴车牌').textContent()).toBe('鲁A11801_0');
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'arrears-payback', '02-receipt');
    console.log(`[handheld] arrears payback by cash: ${taps.n} taps from home to the receipt`);

    const tradeId = (await receipt.getAttribute('data-trade-id')) ?? '';
    const centre = await clearedAtCentre(rig(), tradeId, '鲁A11801', ['TEST-ARR-0001', 'TEST-ARR-0002']);
    expect(centre.clearedBy).toEqual([tradeId, tradeId]);
    expect(centre.open).toEqual([]);
    expect(centre.chase).toBeNull();
    // Never a toll: the station's records hold it as its own kind.
    const mine = await paybackAtStation(rig(), tradeId);
    expect(mine.map((r) => r.kind)).toEqual(['arrears-payback']);
    expect(mine[0]?.record).toMatchObject({
      id: tradeId,
      vehicleId: '鲁A11801_0',
      entryIds: ['TEST-ARR-0001', 'TEST-ARR-0002'],
      paybackFee: 4_830,
      payType: 1,
    });

    // Back to the exit it was found at: the same CPC exit, still to be priced and paid as usual.
    await taps.tap('[data-testid=payback-back]');
    await page.waitForURL(exitUrl);
    await page.waitForSelector('[data-testid=compute-fee]');
    await page.context().close();
  }, 120_000);

  it('paid by a QR code the driver confirms on the phone; a reload mid-payment resumes it to its record', async () => {
    const page = await loggedInPage(rig());
    const taps = new Taps(page);
    await toArrearsBanner(page, rig(), 'arrears-grey', taps);
    expect(await page.getByTestId('arrears-total').textContent()).toContain('¥22.00');
    await taps.tap('[data-testid=arrears-payback]');
    await taps.tap('[data-testid=payback-start]');
    await taps.tap('[data-testid=pay-qr]');
    const code = paygate().code('0002'); // TEST: the platform asks for the password, then pays
    await page.locator('#auth-code').pressSequentially(code);
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid=pay-progress][data-phase=user-paying]', { timeout: 20_000 });
    expect(await page.getByTestId('pay-progress').textContent()).toContain('密码');
    // The tab reloads while the driver types the password: the payback is followed, never paid twice.
    expect(page.url()).toMatch(/#\/arrears\/[^/]+\/[^/]+$/);
    await page.reload();
    await page.waitForSelector('[data-testid=payback-receipt]', { timeout: 60_000 });
    expect(await page.getByTestId('payback-receipt-支付方式').textContent()).toBe('微信');
    const tradeId = (await page.getByTestId('payback-receipt').getAttribute('data-trade-id')) ?? '';
    const centre = await clearedAtCentre(rig(), tradeId, '鲁A12701', ['TEST-ARR-0003']);
    expect(centre.clearedBy).toEqual([tradeId]);
    expect(centre.open).toEqual([]);
    expect(centre.chase).toBeNull();
    const [mine] = await paybackAtStation(rig(), tradeId);
    expect(mine?.record).toMatchObject({ paybackFee: 2_200, payType: 7, entryIds: ['TEST-ARR-0003'] });
    await shot(page, 'arrears-payback', '03-qr-after-reload');
    await page.context().close();
  }, 150_000);
});
