import type { ExitTransaction, PaymentRefunds } from '@tollpad/station-api';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { seriousViolations } from './axe';
import { shot } from './browser';
import { trainingCpcAtFee, usePaygateRig } from './cpc-paygate';
import { loggedInPage, type Rig } from './setup';

/** Home → lane → 【CPC卡交易】 → 【读卡】 → photo → 【提交图片数据】 → 【算费】 → 【扫码支付】 with `code` (or 【现金】, exact). */
async function payCpcByCode(page: Page, rig: Rig, code: string): Promise<void> {
  await trainingCpcAtFee(page, rig.station.world.laneId);
  if (code === 'cash') {
    await page.click('[data-testid=collect-cash]');
    await page.click('[data-testid=confirm-cash]');
    return;
  }
  await page.click('[data-testid=pay-qr]');
  await page.locator('#auth-code').pressSequentially(code);
  await page.keyboard.press('Enter');
}

describe('handheld in a real browser: a monitor refunds part of a QR payment; an unpaid QR exit given up', () => {
  const { rig, paygate } = usePaygateRig('hh-refund-');

  it('a CPC paid by QR; the monitor finds it in the recent records and refunds ¥1 of it with a reason; it is listed', async () => {
    const r = rig();
    const collector = await loggedInPage(r);
    await payCpcByCode(collector, r, paygate().code('0001')); // TEST: pays at once
    await collector.waitForSelector('[data-testid=collect-cpc]', { timeout: 40_000 });
    const tradeId = (await collector.getByTestId('trade-id').textContent()) ?? '';
    expect(tradeId).toHaveLength(37);
    await collector.context().close();

    const monitor = await loggedInPage(r, 'monitor');
    await monitor.click('[data-testid=open-refund]');
    await monitor.click(`[data-testid=refund-record][data-trade="${tradeId}"]`);
    const panel = monitor.getByTestId('refund-payment');
    await panel.waitFor();
    expect(await panel.textContent()).toContain(tradeId);
    expect(await monitor.getByTestId('refund-list').textContent()).toContain('暂无退款');
    // A reason too short is refused on the form, before anything is sent.
    await monitor.fill('#refund-amount', '1');
    await monitor.fill('#refund-reason', '退');
    await monitor.click('[data-testid=refund-submit]');
    expect(await monitor.getByTestId('refund-problem').textContent()).toContain('至少4个字');
    await monitor.fill('#refund-reason', '顾客多付，退还1元 (TEST)');
    await monitor.click('[data-testid=refund-submit]');
    await monitor.waitForSelector('[data-testid=refund-confirm-box]');
    expect(await monitor.getByTestId('refund-confirm-box').textContent()).toContain('¥1.00');
    await shot(monitor, 'refund', '01-confirm');
    expect(await seriousViolations(monitor)).toEqual([]);
    await monitor.click('[data-testid=refund-confirm]');
    const outcome = monitor.locator('[data-testid=refund-outcome][data-state=refunded]');
    await outcome.waitFor({ timeout: 30_000 });
    expect(await outcome.textContent()).toContain('退款成功 ¥1.00');
    const listed = (await monitor.getByTestId('refund-list').textContent()) ?? '';
    expect(listed).toContain('顾客多付，退还1元 (TEST)');
    expect(listed).toContain('已退款');
    await shot(monitor, 'refund', '02-refunded');

    // The station and the platform agree: ¥1 refunded of the capture, once.
    const view = (await r.station.api('monitor', 'GET', `/payments/${tradeId}/refunds`))
      .json as PaymentRefunds;
    expect(view).toMatchObject({ refundedFen: 100, pendingFen: 0, refundableFen: view.capturedFen - 100 });
    const orders = (await paygate().h.signed('GET', `/v1/orders?payId=${view.payId}`)).json() as {
      orders: { refundedAmount: number; refunds: unknown[] }[];
    };
    expect(orders.orders.map((o) => [o.refundedAmount, o.refunds.length])).toEqual([[100, 1]]);
    await monitor.context().close();
  }, 150_000);

  it('a QR payment that ended unpaid is given up: the exit is voided at the station, the home screen is free', async () => {
    const r = rig();
    const page = await loggedInPage(r);
    await payCpcByCode(page, r, paygate().code('0004')); // TEST: insufficient funds
    await page.waitForSelector('[data-testid=pay-progress][data-phase=failed]', { timeout: 20_000 });
    await page.click('[data-testid=give-up]');
    await page.waitForSelector('[data-testid=give-up-confirm]');
    await shot(page, 'refund', '03-give-up');
    await page.click('[data-testid=give-up-yes]');
    await page.waitForSelector('[data-testid=lanes]', { timeout: 20_000 });
    expect(await page.getByTestId('cpc-pending-banner').count()).toBe(0);
    // The same handheld reopened: nothing held (the journal entry went with the give-up).
    await page.reload();
    await page.waitForSelector('[data-testid=lanes]');
    await page.click(`[data-lane="${r.station.world.laneId}"]`);
    // Held, the button would stay disabled (cpc-pay's closed-tab test): it opens, and stays open.
    await page.waitForSelector('[data-testid=start-cpc-exit]:not([disabled])', { timeout: 10_000 });
    await page.waitForTimeout(1500);
    expect(await page.getByTestId('cpc-pending-banner').count()).toBe(0);
    expect(await page.getByTestId('start-cpc-exit').isDisabled()).toBe(false);
    const cancelled = (await r.station.api('monitor', 'GET', '/exits?state=cancelled&limit=50'))
      .json as ExitTransaction[];
    const mine = cancelled.filter(
      (t) => t.medium === 'cpc' && (t.cancelReason ?? '').includes('放弃本次交易'),
    );
    expect(mine).toHaveLength(1);
    expect(mine[0]?.tradeId).toBeNull();
    await page.context().close();
  }, 150_000);

  it('a cash exit looked up for a refund: the station refuses it with its code and says cash goes back from the till', async () => {
    const r = rig();
    const collector = await loggedInPage(r);
    await payCpcByCode(collector, r, 'cash');
    await collector.waitForSelector('[data-testid=collect-cpc]', { timeout: 40_000 });
    const tradeId = (await collector.getByTestId('trade-id').textContent()) ?? '';
    await collector.context().close();
    const monitor = await loggedInPage(r, 'monitor');
    await monitor.click('[data-testid=open-refund]');
    await monitor.fill('#refund-q', tradeId);
    await monitor.click('[data-testid=refund-search]');
    const refused = monitor.locator('[data-testid=error][data-code=STN_ERR_REFUND_CASH]');
    await refused.waitFor({ timeout: 20_000 });
    expect(await refused.textContent()).toContain('现金不能通过支付平台退款');
    expect(await monitor.getByTestId('refund-form').count()).toBe(0);
    await monitor.context().close();
  }, 150_000);
});
