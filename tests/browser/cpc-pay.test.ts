import { describe, expect, it } from 'vitest';
import { seriousViolations } from './axe';
import { shot } from './browser';
import { recordOf, trainingCpcAtFee, usePaygateRig } from './cpc-paygate';
import { loggedInPage } from './setup';

const yuanOf = (text: string | null) => Math.round(Number((text ?? '').replace(/[^\d.]/g, '')) * 100);

describe('handheld in a real browser: paying a CPC exit (QR by hardware scanner, cash with change)', () => {
  const { rig, paygate } = usePaygateRig('hh-pay-');

  it('a training CPC paid by a code the hardware scanner types (password on the phone), then 写卡/关闭CPC, one record', async () => {
    const page = await loggedInPage(rig());
    await trainingCpcAtFee(page, rig().station.world.laneId);
    await page.click('[data-testid=pay-qr]');
    // A scanner is a keyboard: the digits, then Enter (no tap on 【扫码收款】).
    const code = paygate().code('0002'); // TEST: the platform asks for the password, then pays
    await page.locator('#auth-code').pressSequentially(code);
    await page.keyboard.press('Enter');
    // While the platform waits for the payer, the collector reads why in plain Chinese.
    const progress = page.getByTestId('pay-progress');
    await page.waitForSelector('[data-testid=pay-progress][data-phase=user-paying]', { timeout: 20_000 });
    expect(await progress.textContent()).toContain('密码');
    await shot(page, 'cpc-pay-qr', '01-password');
    expect(await seriousViolations(page)).toEqual([]);
    await page.waitForSelector('[data-testid=collect-cpc]', { timeout: 40_000 });
    expect(await page.getByTestId('cpc-written').isVisible()).toBe(true);
    const tradeId = (await page.getByTestId('trade-id').textContent()) ?? '';
    const mine = await recordOf(rig(), tradeId);
    expect(mine).toHaveLength(1);
    expect(mine[0]?.record).toMatchObject({ mediaType: 2, payType: 7 }); // 微信
    await shot(page, 'cpc-pay-qr', '02-done');
    // The receipt is printed from the station's record.
    await page.click('[data-testid=open-receipt]');
    await page.waitForSelector('[data-testid=receipt]');
    expect(await page.getByTestId('receipt-支付方式').textContent()).toBe('微信');
    expect(await page.getByTestId('receipt-交易编号').textContent()).toBe(tradeId);
    await page.context().close();
  }, 120_000);

  it('cash: less than due is refused with the station’s code, then tendered above the fee gives the change', async () => {
    const page = await loggedInPage(rig());
    await trainingCpcAtFee(page, rig().station.world.laneId);
    await page.click('[data-testid=collect-cash]');
    await page.fill('#tendered', '1');
    expect(await page.getByTestId('change').textContent()).toContain('实收不足');
    await page.click('[data-testid=confirm-cash]');
    const refused = page.locator('[data-testid=error][data-code=STN_ERR_PAY_CASH_SHORT]');
    await refused.waitFor();
    expect(await refused.textContent()).toContain('实收金额少于应收金额');
    await page.fill('#tendered', '1000');
    await page.click('[data-testid=confirm-cash]');
    await page.waitForSelector('[data-testid=collect-cpc]', { timeout: 30_000 });
    const amount = yuanOf(await page.getByTestId('result-amount').textContent());
    const [tendered, change] = ((await page.getByTestId('result-change').textContent()) ?? '')
      .split('/')
      .map(yuanOf);
    expect(tendered).toBe(100_000);
    expect(change).toBe(100_000 - amount);
    const tradeId = (await page.getByTestId('trade-id').textContent()) ?? '';
    const mine = await recordOf(rig(), tradeId);
    expect(mine).toHaveLength(1);
    expect(mine[0]?.record).toMatchObject({ payType: 1 });
    await shot(page, 'cpc-pay-cash', '01-change');
    await page.context().close();
  }, 120_000);

  it('the tab closed while the payer types the password: a new page follows that payment (no second one) and finishes', async () => {
    const r = rig();
    const page = await loggedInPage(r);
    await trainingCpcAtFee(page, r.station.world.laneId);
    await page.click('[data-testid=pay-qr]');
    await page.locator('#auth-code').pressSequentially(paygate().code('0002'));
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid=pay-progress][data-phase=user-paying]', { timeout: 20_000 });
    const ctx = page.context();
    await page.close();
    // A new page of the same handheld: the journal holds the exit, the home screen sends the collector to it.
    const again = await ctx.newPage();
    await again.goto(`${r.shellUrl}/?terminal=${r.station.world.terminalId}#/home`);
    await again.waitForSelector('[data-testid=cpc-pending-banner]');
    expect(await again.getByTestId('start-cpc-exit').isDisabled()).toBe(true);
    await again.locator('[data-testid=cpc-pending-banner] button').click();
    // Reopened, it shows the payment the station has and follows it; no payment step is offered.
    await again.waitForSelector('[data-testid=pay-progress]');
    expect(await again.getByTestId('pay-step').count()).toBe(0);
    await again.waitForSelector('[data-testid=collect-cpc]', { timeout: 40_000 });
    const tradeId = (await again.getByTestId('trade-id').textContent()) ?? '';
    expect(await recordOf(r, tradeId)).toHaveLength(1);
    await shot(again, 'cpc-pay-closed-tab', '01-done');
    await ctx.close();
  }, 120_000);

  it('a trainee pays with the training panel’s TEST codes: insufficient funds, then another code under the same payment', async () => {
    const r = rig();
    const page = await loggedInPage(r);
    await trainingCpcAtFee(page, r.station.world.laneId);
    const scanFromPanel = async (k: string) => {
      await page.click('[data-testid=pay-qr]');
      await page.getByTestId('reader-toggle').click();
      await page.click(`[data-testid=training-code-${k}]`);
      await page.getByTestId('reader-toggle').click();
    };
    await scanFromPanel('wechatInsufficient');
    const failed = page.locator('[data-testid=pay-progress][data-phase=failed]');
    await failed.waitFor({ timeout: 20_000 });
    expect(await failed.textContent()).toContain('换一个付款码');
    // Ended not paid: the card is untouched and the collector may take another code.
    await page.waitForSelector('[data-testid=pay-step]');
    await shot(page, 'cpc-pay-training', '01-insufficient');
    await scanFromPanel('wechatPaid');
    await page.waitForSelector('[data-testid=collect-cpc]', { timeout: 30_000 });
    const tradeId = (await page.getByTestId('trade-id').textContent()) ?? '';
    const mine = await recordOf(r, tradeId);
    expect(mine).toHaveLength(1);
    expect(mine[0]?.record).toMatchObject({ payType: 7 });
    await page.context().close();
  }, 120_000);

  it('主扫: the station’s code is drawn for the driver, who pays it in the app; then 写卡/关闭CPC', async () => {
    const r = rig();
    const page = await loggedInPage(r);
    await trainingCpcAtFee(page, r.station.world.laneId);
    await page.click('[data-testid=pay-qr]');
    await page.click('[data-testid=pay-dynamic]');
    await page.waitForSelector('[data-testid=pay-dynamic-code] svg', { timeout: 20_000 });
    const url = (await page.getByTestId('pay-code-url').textContent()) ?? '';
    const token = /\/driver\/qr\/([^/?#]+)/.exec(url)?.[1];
    expect(token).toBeTruthy();
    await shot(page, 'cpc-pay-dynamic', '01-code');
    // The driver's app (the reference platform's driver route) pays the order the code names.
    const paid = await paygate().h.paygate.app.inject({
      method: 'POST',
      url: `/driver/qr/${token}/pay`,
      payload: { wallet: 'WECHAT' },
    });
    expect(paid.statusCode).toBe(200);
    await page.waitForSelector('[data-testid=collect-cpc]', { timeout: 40_000 });
    const tradeId = (await page.getByTestId('trade-id').textContent()) ?? '';
    expect(await recordOf(r, tradeId)).toHaveLength(1);
    await page.context().close();
  }, 120_000);
});
