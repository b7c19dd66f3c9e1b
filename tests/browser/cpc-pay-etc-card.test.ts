import type { AnyExitRecord, CpcExitRecord } from '@tollpad/domain';
import type { StoredRecord } from '@tollpad/station-api';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { seriousViolations } from './axe';
import { shot } from './browser';
import { recordOf, trainingCpcAtFee } from './cpc-paygate';
import { armFault, loggedInPage, useRig } from './setup';

/** The training panel: a tap as the driver or the collector would move a card (TEST cards). */
async function panel(page: Page, testId: string): Promise<void> {
  await page.getByTestId('reader-toggle').click();
  await page.click(`[data-testid=${testId}]`);
  await page.getByTestId('reader-toggle').click();
}

/** The stored record as the CPC record it must be. */
function cpcRecordOf(s: StoredRecord | undefined): CpcExitRecord {
  const r = s?.record as AnyExitRecord | undefined;
  if (r?.mediaType !== 2 || 'noCardReason' in r)
    throw new Error(`TEST: not a CPC record: ${JSON.stringify(r)}`);
  return r;
}

describe("handheld in a real browser: a CPC vehicle paid by the driver's ETC card", () => {
  const rig = useRig();

  it('the low-balance card is refused (请车主以其他方式缴费), the other card pays: CPC written, 收回CPC卡, one record with payType 4', async () => {
    const r = rig();
    const page = await loggedInPage(r);
    await trainingCpcAtFee(page, r.station.world.laneId);
    await page.click('[data-testid=pay-etc-card]');
    // The driver first hands over a stored-value card with too little on it (TEST ¥5.00).
    await panel(page, 'hand-over-driver-card-low');
    await page.waitForSelector('[data-testid=reader-bar][data-card=present]');
    await page.click('[data-testid=read-pay-card]');
    const refused = page.getByTestId('pay-card-refused');
    await refused.waitFor();
    expect(await refused.textContent()).toContain('请车主以其他方式缴费');
    expect(await page.getByTestId('pay-card-debit').count()).toBe(0);
    await shot(page, 'cpc-pay-etc-card', '01-low-balance');
    // Then one with enough (TEST ¥500.00): read, shown, debited the fee.
    await panel(page, 'hand-over-driver-card');
    await page.click('[data-testid=read-pay-card]');
    await page.waitForSelector('[data-testid=pay-card-debit]');
    expect(await page.getByTestId('pay-card-balance').textContent()).toContain('500.00');
    const cardNo = (await page.getByTestId('pay-card-no').textContent()) ?? '';
    expect(cardNo).toMatch(/^9901\d{16}$/);
    expect(await seriousViolations(page)).toEqual([]);
    await page.click('[data-testid=pay-card-debit]');
    const paid = page.getByTestId('pay-card-paid');
    await paid.waitFor({ timeout: 20_000 });
    expect(await paid.textContent()).toContain('ETC卡扣款成功');
    await shot(page, 'cpc-pay-etc-card', '02-debited');
    // The card goes back to the driver, the CPC onto the reader: 写卡/关闭CPC and the commit with both.
    await panel(page, 'return-vehicle-card');
    await page.click('[data-testid=pay-card-write]');
    await page.waitForSelector('[data-testid=collect-cpc]', { timeout: 30_000 });
    expect(await page.getByTestId('cpc-written').isVisible()).toBe(true);
    const tradeId = (await page.getByTestId('trade-id').textContent()) ?? '';
    const mine = await recordOf(r, tradeId);
    expect(mine).toHaveLength(1);
    expect(mine[0]?.record).toMatchObject({
      mediaType: 2,
      payType: 4,
      transPayType: 2,
      cardId: cardNo,
      transType: '09',
      preBalance: 50_000,
    });
    const rec = cpcRecordOf(mine[0]);
    expect(rec.transFee).toBe(rec.fee);
    expect(rec.postBalance).toBe(50_000 - rec.fee);
    await shot(page, 'cpc-pay-etc-card', '03-done');
    // 收回CPC卡: the collector is done with the vehicle.
    await page.click('[data-testid=collect-cpc-done]');
    await page.waitForSelector('[data-testid=lanes]');
    await page.context().close();
  }, 120_000);

  it('the page reloads as DEBIT reaches the card: the exit reopened, the same card proves the debit; one debit, one record', async () => {
    const r = rig();
    const page = await loggedInPage(r);
    await trainingCpcAtFee(page, r.station.world.laneId);
    await page.click('[data-testid=pay-etc-card]');
    await panel(page, 'hand-over-driver-card');
    await page.click('[data-testid=read-pay-card]');
    await page.waitForSelector('[data-testid=pay-card-debit]');
    const cardNo = (await page.getByTestId('pay-card-no').textContent()) ?? '';
    // The handheld dies the moment the card committed the DEBIT (the training reader reloads the page).
    await armFault(page, 'debit', 'reload');
    await Promise.all([page.waitForEvent('load'), page.click('[data-testid=pay-card-debit]')]);
    // The reloaded screen reopens the exit; with the journal's entry the debit is unclear until the card says.
    const pending = page.getByTestId('pay-card-pending');
    await pending.waitFor({ timeout: 20_000 });
    expect(await pending.textContent()).toContain('请勿重复收费');
    expect(await page.getByTestId('pay-step').count()).toBe(0);
    await shot(page, 'cpc-pay-etc-card', '04-unclear-after-reload');
    await page.click('[data-testid=pay-card-recover]');
    await page.getByTestId('pay-card-paid').waitFor({ timeout: 20_000 });
    await panel(page, 'return-vehicle-card');
    await page.click('[data-testid=pay-card-write]');
    await page.waitForSelector('[data-testid=collect-cpc]', { timeout: 30_000 });
    const tradeId = (await page.getByTestId('trade-id').textContent()) ?? '';
    const mine = await recordOf(r, tradeId);
    expect(mine).toHaveLength(1);
    const rec = cpcRecordOf(mine[0]);
    expect(rec).toMatchObject({ payType: 4, cardId: cardNo, preBalance: 50_000 });
    // Debited once: the card's balance after is the one debit's.
    expect(rec.postBalance).toBe(50_000 - rec.fee);
    await page.context().close();
  }, 120_000);
});
