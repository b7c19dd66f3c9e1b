import type { HandoverReport } from '@tollpad/station-api';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { seriousViolations } from './axe';
import { shot } from './browser';
import { trainingCpcAtFee, usePaygateRig } from './cpc-paygate';
import { loggedInPage } from './setup';

const yuanOf = (text: string | null) => Math.round(Number((text ?? '').replace(/[^\d.-]/g, '')) * 100);
const text = async (page: Page, testId: string) => (await page.getByTestId(testId).textContent()) ?? '';

describe('handheld in a real browser: the shift hand-over (cash expected vs counted, QR per channel)', () => {
  const { rig, paygate } = usePaygateRig('hh-handover-');

  it('a CPC paid by QR and one by cash with change, the receipt printed, then 交班 with the cash counted; the monitor sees it', async () => {
    const r = rig();
    const laneId = r.station.world.laneId;

    // 1. A training CPC paid by a TEST WeChat code the scanner types.
    const page = await loggedInPage(r);
    await trainingCpcAtFee(page, laneId);
    await page.click('[data-testid=pay-qr]');
    await page.locator('#auth-code').pressSequentially(paygate().code('0001'));
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid=collect-cpc]', { timeout: 40_000 });
    const qrAmount = yuanOf(await text(page, 'result-amount'));
    await page.context().close();

    // 2. Another paid in cash: 1000 yuan handed over, the change given back; its receipt printed.
    const cash = await loggedInPage(r);
    await trainingCpcAtFee(cash, laneId);
    await cash.click('[data-testid=collect-cash]');
    await cash.fill('#tendered', '1000');
    await cash.click('[data-testid=confirm-cash]');
    await cash.waitForSelector('[data-testid=collect-cpc]', { timeout: 30_000 });
    const cashAmount = yuanOf(await text(cash, 'result-amount'));
    await cash.click('[data-testid=open-receipt]');
    await cash.waitForSelector('[data-testid=receipt]');
    // Headless Chromium has no printer: count the calls instead (the page prints only once logged).
    await cash.evaluate(() => {
      (window as unknown as { printed: number }).printed = 0;
      window.print = () => {
        (window as unknown as { printed: number }).printed += 1;
      };
    });
    await cash.click('[data-testid=print-receipt]');
    await cash.waitForFunction(() => (window as unknown as { printed: number }).printed === 1);

    const cashTradeId = await cash.getByTestId('receipt').getAttribute('data-trade-id');

    // 3. 重打 from the shift's records on the shift report (logged as a reprint), then 交班: the collector
    // counts the till (one yuan short) before seeing what is expected.
    await cash.evaluate(() => {
      location.hash = '#/report';
    });
    await cash.click(`[data-testid=reprint-${cashTradeId}]`);
    await cash.waitForSelector('[data-testid=receipt-reprint]');
    await cash.click('[data-testid=print-receipt]');
    await cash.waitForFunction(() => (window as unknown as { printed: number }).printed === 2);
    await cash.evaluate(() => {
      location.hash = '#/report';
    });
    // Blind at the station too: what the handheld was answered holds no cash figure (not merely one not shown).
    const blindReport = cash.waitForResponse(
      (res) =>
        res.request().method() === 'GET' && /\/shifts\/[^/]+\/handover$/.test(new URL(res.url()).pathname),
    );
    await cash.click('[data-testid=open-handover]');
    await cash.waitForSelector('[data-testid=handover-form]');
    expect(await cash.getByTestId('handover-expected').count()).toBe(0);
    const answered = (await (await blindReport).json()) as HandoverReport;
    expect(answered.blind).toBe(true);
    expect(answered.cash).toMatchObject({ expected: null, tendered: null, change: null });
    expect(answered.byPayType.map((g) => g.payType)).not.toContain(1);
    const counted = cashAmount - 100;
    await cash.fill('#cash-counted', (counted / 100).toFixed(2));
    await cash.click('[data-testid=handover-submit]');
    await cash.waitForSelector('[data-testid=handover-report]');
    // Expected is the amount due, not the 1000 yuan tendered.
    expect(yuanOf(await text(cash, 'handover-expected'))).toBe(cashAmount);
    expect(yuanOf(await text(cash, 'handover-counted'))).toBe(counted);
    expect(yuanOf(await text(cash, 'handover-difference'))).toBe(-100);
    const wechat = await text(cash, 'handover-qr-WECHAT');
    expect(wechat).toContain('1 笔');
    expect(yuanOf(wechat.split('·')[1] ?? '')).toBe(qrAmount);
    // Today's settlement file comes tomorrow: the report says so rather than a false match.
    expect(await cash.getByTestId('handover-settlement').getAttribute('data-state')).toBe('not-ready');
    expect(await text(cash, 'handover-printed')).toBe('1');
    expect(await text(cash, 'handover-reprinted')).toBe('1');
    expect(await seriousViolations(cash)).toEqual([]);
    await shot(cash, 'handover', '01-collector');
    const shiftId = (await cash.getByTestId('handover-report').getAttribute('data-shift')) ?? '';
    await cash.context().close();

    // 4. The monitor opens the shift's hand-over from the monitor page.
    const monitor = await loggedInPage(r, 'monitor');
    await monitor.click(`[data-testid=handover-${shiftId}]`);
    await monitor.waitForSelector('[data-testid=handover-report]');
    expect(yuanOf(await text(monitor, 'handover-counted'))).toBe(counted);
    expect(yuanOf(await text(monitor, 'handover-difference'))).toBe(-100);
    expect(await text(monitor, 'handover-qr-WECHAT')).toContain('1 笔');
    await shot(monitor, 'handover', '02-monitor');
    // 对账 of today: the platform publishes it tomorrow, and the monitor is told so with the station's code.
    await monitor.evaluate(() => {
      location.hash = '#/monitor';
    });
    const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
    await monitor.fill('#settlement-date', today);
    await monitor.click('[data-testid=run-settlement]');
    await monitor.waitForSelector('[data-testid=settlement-error][data-code=STN_ERR_SETTLE_NOT_READY]');
    await monitor.context().close();
  }, 180_000);
});
