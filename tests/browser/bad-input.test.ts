import { describe, expect, it } from 'vitest';
import { phoneContext, shot } from './browser';
import { loggedInPage, Taps, toCardRead, toFee, trainingVehicle, useRig } from './setup';

describe('handheld in a real browser: cards and inputs that cannot simply pass', () => {
  const rig = useRig();

  it('a stored-value card with too low a balance: no debit, says why and what to do, with the code', async () => {
    const page = await loggedInPage(rig());
    await trainingVehicle(page, 'low-balance');
    await toFee(page, rig().station.world.laneId, new Taps(page), 'low-balance');
    const box = page.getByTestId('not-payable');
    await expect(box.getAttribute('data-code')).resolves.toBe('STN_ERR_EXIT_NOT_ETC_PAYABLE');
    const text = (await box.textContent()) ?? '';
    expect(text).toContain('余额不足');
    expect(text).toContain('其他方式');
    expect(await page.getByTestId('submit-data').isDisabled()).toBe(true);
    await shot(page, 'low-balance', '05-not-payable');
    await page.context().close();
  }, 60_000);

  it('a card on the status list: the check is red, with what to do', async () => {
    const page = await loggedInPage(rig());
    await trainingVehicle(page, 'status-list');
    await toCardRead(page, rig().station.world.laneId);
    const red = page.locator('[data-testid=checks] li[data-ok=false]');
    expect(await red.count()).toBeGreaterThan(0);
    expect(await red.allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('名单')]));
    await shot(page, 'status-list', '02-red-check');
    await page.context().close();
  }, 60_000);

  it('plate mismatch: an invalid plate is marked at the field and kept; the mismatch shows as a red check', async () => {
    const page = await loggedInPage(rig());
    await trainingVehicle(page, 'plate-mismatch');
    await toCardRead(page, rig().station.world.laneId);
    await page.waitForSelector('[data-testid=image-area]');
    // A typo first: marked at the field, in Chinese, and what was typed stays.
    await page.fill('#plate', '鲁A3333');
    await page.getByTestId('take-photo').click();
    await page.waitForSelector('img.photo');
    await page.getByTestId('submit-image').click();
    await page.waitForSelector('#plate[aria-invalid=true]');
    expect(await page.inputValue('#plate')).toBe('鲁A3333');
    expect(await page.locator('#plate-error').textContent()).toMatch(/[\u4e00-\u9fff]/);
    await expect(page.getByTestId('error').getAttribute('data-code')).resolves.toBe('HH_ERR_PLATE');
    await shot(page, 'plate-mismatch', '03-invalid-plate');
    // The actual plate (differs from the card's 鲁A33333).
    await page.fill('#plate', '鲁A33338');
    await page.getByTestId('submit-image').click();
    await page.waitForSelector('text=图片数据已提交');
    const red = await page.locator('[data-testid=checks] li[data-ok=false]').allTextContents();
    expect(red.join(' ')).toContain('52');
    await shot(page, 'plate-mismatch', '04-mismatch');
    await page.context().close();
  }, 60_000);

  it("needs a monitor's authorisation: the collector waits, the monitor approves in a second context", async () => {
    const page = await loggedInPage(rig());
    await trainingVehicle(page, 'overdue');
    await toFee(page, rig().station.world.laneId, new Taps(page), 'authorisation');
    await page.waitForSelector('[data-testid=waiting-auth]');
    expect(await page.getByTestId('submit-data').isDisabled()).toBe(true);
    await shot(page, 'authorisation', '05-waiting');
    const monitor = await loggedInPage(rig(), 'monitor');
    await monitor.waitForSelector('[data-testid=auth-item]');
    await shot(monitor, 'authorisation', 'monitor-01-pending');
    await monitor.getByTestId('approve').first().click();
    await page.waitForSelector('[data-testid=auth-approved]', { timeout: 20_000 });
    await page.getByTestId('submit-data').click();
    await page.waitForSelector('[data-testid=result]', { timeout: 15_000 });
    await shot(page, 'authorisation', '06-result');
    await monitor.waitForSelector(`text=${(await page.getByTestId('trade-id').textContent()) ?? 'x'}`, {
      timeout: 10_000,
    });
    await shot(monitor, 'authorisation', 'monitor-02-record');
    await monitor.context().close();
    await page.context().close();
  }, 90_000);

  it('a disabled lane cannot be chosen', async () => {
    const page = await loggedInPage(rig());
    const disabled = page.locator(`[data-lane="${rig().station.world.disabledLaneId}"]`);
    expect(await disabled.isDisabled()).toBe(true);
    await disabled.click({ force: true });
    expect(await disabled.getAttribute('aria-pressed')).toBe('false');
    expect(await page.getByTestId('start-exit').isDisabled()).toBe(true);
    expect(await disabled.textContent()).toContain('未启用');
    await shot(page, 'disabled-lane', '01-home');
    await page.context().close();
  }, 60_000);

  it('the login screen says what went wrong with wrong credentials and keeps the staff ID', async () => {
    const ctx = await phoneContext(rig().browser);
    const page = await ctx.newPage();
    await page.goto(`${rig().shellUrl}/#/login`);
    await page.fill('#username', 'demo-collector');
    await page.fill('#password', 'wrong-password');
    await page.getByRole('button', { name: '【登录】' }).click();
    await page.waitForSelector('[data-testid=error]');
    await expect(page.getByTestId('error').getAttribute('data-code')).resolves.toBe(
      'STN_ERR_AUTH_BAD_CREDENTIALS',
    );
    expect(await page.inputValue('#username')).toBe('demo-collector');
    await shot(page, 'login-error', '01');
    await ctx.close();
  }, 30_000);
});
