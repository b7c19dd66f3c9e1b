import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchTrusting } from '../../scripts/sim/tls-fetch';
import { seriousViolations } from './axe';
import { phoneContext, shot } from './browser';
import { loggedInPage, type Rig, startRig, Taps, toFee, trainingVehicle } from './setup';
import { FIXTURE_ACCOUNTS } from './world';

/** A TEST collector whom the test locks out with wrong passwords, for the monitor to unlock. */
const LOCKED = { username: 'cfg-locked-collector', password: 'cfg-locked-TEST-1' };

async function adminPage(rig: Rig): Promise<Page> {
  const ctx = await phoneContext(rig.browser);
  const page = await ctx.newPage();
  await page.goto(`${rig.shellUrl}/#/login`);
  await page.fill('#username', FIXTURE_ACCOUNTS.admin.username);
  await page.fill('#password', FIXTURE_ACCOUNTS.admin.password);
  await page.getByRole('button', { name: '【登录】' }).click();
  await page.waitForSelector('[data-testid=lanes]');
  return page;
}

async function confirmChange(page: Page): Promise<void> {
  await page.waitForSelector('[data-testid=confirm]');
  await page.getByTestId('confirm-yes').click();
  await page.waitForSelector('[data-testid=change-done], [data-testid=change-error]');
}

describe('handheld 系统配置 in Chromium', () => {
  let rig: Rig;
  beforeAll(async () => {
    // A lock that lasts through the test, so the monitor has something to unlock (the station child inherits it).
    process.env.LOGIN_BACKOFF_BASE_MS = String(10 * 60_000);
    rig = await startRig();
  }, 120_000);
  afterAll(async () => rig?.close());

  it('refuses a collector who opens the configuration URL, on screen and at the station', async () => {
    const page = await loggedInPage(rig);
    await page.evaluate(() => {
      location.hash = '#/config/lanes';
    });
    await page.waitForSelector('[data-testid=config-refused]');
    expect(await page.getByTestId('error').getAttribute('data-code')).toBe('STN_ERR_AUTH_FORBIDDEN');
    expect(await page.locator('[data-testid=config-lanes]').count()).toBe(0);
    await shot(page, 'config', '00-collector-refused');
    for (const path of ['/config/terminals', '/accounts', '/audit']) {
      const r = await rig.station.api('collector', 'GET', path);
      expect([path, r.status]).toEqual([path, 403]);
    }
    await page.context().close();
  }, 60_000);

  it('an admin enables 出口2 for linkage; the collector home then lets them choose it', async () => {
    const { disabledLaneId } = rig.station.world;
    const collector = await loggedInPage(rig);
    expect(await collector.locator(`[data-lane="${disabledLaneId}"]`).isDisabled()).toBe(true);

    const admin = await adminPage(rig);
    await admin.getByTestId('open-config').click();
    await admin.waitForSelector(`[data-testid=lane-row-${disabledLaneId}]`);
    await shot(admin, 'config', '01-lanes');
    await admin.getByTestId(`lane-toggle-${disabledLaneId}`).click();
    await confirmChange(admin);
    expect(await admin.getByTestId('change-done').textContent()).toContain('已启用');
    await admin.waitForSelector(`[data-testid=lane-row-${disabledLaneId}][data-enabled=true]`);
    expect(await admin.getByTestId(`lane-row-${disabledLaneId}`).textContent()).toContain('演示管理员');
    await shot(admin, 'config', '02-lane-enabled');

    await collector.reload();
    await collector.waitForSelector(`[data-lane="${disabledLaneId}"]:not([disabled])`);
    await collector.locator(`[data-lane="${disabledLaneId}"]`).click();
    expect(await collector.locator(`[data-lane="${disabledLaneId}"]`).getAttribute('aria-pressed')).toBe(
      'true',
    );
    expect(await collector.getByTestId('start-exit').isEnabled()).toBe(true);
    await collector.context().close();
    await admin.context().close();
  }, 90_000);

  it('an admin disables a lane with a transaction open on it: it finishes, no new one starts; the last lane stays', async () => {
    const { laneId, disabledLaneId } = rig.station.world;
    const collector = await loggedInPage(rig);
    await trainingVehicle(collector, 'plate-mismatch');
    await toFee(collector, laneId, new Taps(collector), 'config-open-txn');

    const admin = await adminPage(rig);
    await admin.goto(`${rig.shellUrl}/#/config/lanes`);
    await admin.getByTestId(`lane-toggle-${laneId}`).click();
    expect(await admin.getByTestId('confirm').textContent()).toContain('未完成的交易仍可完成');
    await confirmChange(admin);
    const done = await admin.getByTestId('change-done').textContent();
    expect(done).toContain('仍有 1 笔交易未完成');
    await shot(admin, 'config', '03-disabled-with-open-txn');

    // The open transaction finishes on the disabled lane: the card is debited and the record made.
    await collector.getByTestId('submit-data').click();
    await collector.waitForSelector('[data-testid=result]');
    await collector.getByTestId('back-home').click();
    await collector.waitForSelector(`[data-lane="${laneId}"][disabled]`);
    const offered = (await rig.station.api('collector', 'GET', '/config/lanes?enabled=true')).json as {
      id: string;
    }[];
    expect(offered.map((l) => l.id)).toEqual([disabledLaneId]);
    const records = (await rig.station.api('monitor', 'GET', '/records?limit=5')).json;
    expect(JSON.stringify(records)).toContain(laneId);

    // 出口2 is now the only enabled lane: disabling it is refused and nothing changes.
    await admin.getByTestId(`lane-toggle-${disabledLaneId}`).click();
    await confirmChange(admin);
    expect(await admin.getByTestId('change-error').getAttribute('data-code')).toBe(
      'STN_ERR_CONFIG_LAST_LANE',
    );
    await admin.waitForSelector(`[data-testid=lane-row-${disabledLaneId}][data-enabled=true]`);
    await shot(admin, 'config', '04-last-lane-refused');

    await admin.getByTestId(`lane-toggle-${laneId}`).click();
    await confirmChange(admin);
    await admin.waitForSelector(`[data-testid=lane-row-${laneId}][data-enabled=true]`);
    await collector.context().close();
    await admin.context().close();
  }, 120_000);

  it('a monitor unlocks a collector locked out by wrong passwords', async () => {
    const created = await rig.station.api('admin', 'POST', '/accounts', {
      username: LOCKED.username,
      displayName: '锁定测试收费员 (TEST)',
      role: 'collector',
      password: LOCKED.password,
    });
    expect(created.status).toBe(201);
    const fetch = fetchTrusting(rig.station.ca.cert);
    const login = (password: string) =>
      fetch(`${rig.station.url}/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: LOCKED.username, password }),
      }).then((r) => r.status);
    for (let i = 0; i < 8; i++) await login('wrong-password-TEST');
    expect(await login(LOCKED.password)).toBe(401);

    const monitor = await loggedInPage(rig, 'monitor');
    await monitor.getByTestId('open-config').click();
    const row = monitor.getByTestId(`account-row-${LOCKED.username}`);
    await row.waitFor();
    expect(await row.getByTestId('account-state').textContent()).toContain('已锁定');
    await shot(monitor, 'config', '05-monitor-accounts');
    await monitor.getByTestId(`unlock-${LOCKED.username}`).click();
    await confirmChange(monitor);
    expect(await monitor.getByTestId('change-done').textContent()).toContain('已解锁');
    await monitor.waitForFunction(
      (u) =>
        document.querySelector(`[data-testid=account-row-${u}] [data-testid=account-state]`)?.textContent ===
        '正常',
      LOCKED.username,
    );
    expect(await login(LOCKED.password)).toBe(200);
    // A monitor has no admin's changes: no role, password or disable controls, and no admin accounts listed.
    expect(await monitor.locator('[data-testid=new-account]').count()).toBe(0);
    expect(
      await monitor.locator(`[data-testid=account-row-${FIXTURE_ACCOUNTS.admin.username}]`).count(),
    ).toBe(0);
    await monitor.context().close();
  }, 90_000);

  it('binding a PSAM already bound to another handheld is refused with its code and changes nothing', async () => {
    const { terminalId, psam } = rig.station.world;
    const spare = 'HH-CFG-TEST';
    const reg = await rig.station.api('admin', 'PUT', `/config/terminals/${spare}`, {
      psamTerminalNo: '0151000CF600',
      description: 'TEST 系统配置',
      enabled: true,
    });
    expect(reg.status).toBe(200);
    expect((await rig.station.api('admin', 'DELETE', `/config/terminals/${spare}/psam`)).status).toBe(200);
    const audited = async () =>
      ((await rig.station.api('admin', 'GET', '/audit?limit=1000')).json as { target: string }[]).filter(
        (e) => e.target === spare || e.target === terminalId,
      ).length;
    const auditBefore = await audited();

    const admin = await adminPage(rig);
    await admin.goto(`${rig.shellUrl}/#/config/terminals`);
    const row = admin.getByTestId(`terminal-row-${spare}`);
    await row.waitFor();
    // The bound handheld's PSAM shows its authorisation as the real centre holds it (its own record of the
    // PSAM for this station), asked by the station over its mutual-TLS link.
    const atCentre = await rig.station.centre.centre.services.psamState.stateFor(
      psam,
      rig.station.world.stationId,
    );
    await admin.waitForSelector(
      `[data-testid=terminal-row-${terminalId}] [data-testid=psam-auth][data-state=${atCentre.state}]`,
    );
    await admin.fill(`#psam-${spare}`, psam);
    await admin.getByTestId(`bind-${spare}`).click();
    await confirmChange(admin);
    const refusal = admin.getByTestId('change-error');
    expect(await refusal.getAttribute('data-code')).toBe('STN_ERR_CONFIG_PSAM_BOUND');
    expect(await refusal.textContent()).toContain('STN_ERR_CONFIG_PSAM_BOUND');
    await shot(admin, 'config', '06-psam-bound-elsewhere');

    expect(await row.getByTestId('terminal-psam').textContent()).toBe('未绑定');
    const terminals = (await rig.station.api('admin', 'GET', '/config/terminals')).json as {
      id: string;
      psamTerminalNo: string | null;
    }[];
    expect(terminals.find((t) => t.id === spare)?.psamTerminalNo).toBeNull();
    expect(terminals.find((t) => t.id === terminalId)?.psamTerminalNo).toBe(psam);
    expect(await audited()).toBe(auditBefore);
    await admin.context().close();
  }, 90_000);

  it('axe-core: no serious violations on any configuration screen, on a phone and on a desktop', async () => {
    const failures: string[] = [];
    const check = async (page: Page, name: string) => {
      for (const v of await seriousViolations(page)) failures.push(`${name}: ${v}`);
    };
    const admin = await adminPage(rig);
    for (const section of ['lanes', 'terminals', 'accounts', 'versions'] as const) {
      await admin.goto(`${rig.shellUrl}/#/config/${section}`);
      await admin.waitForSelector(`[data-testid=config-${section}] :is(ul, table, [data-testid=sync-state])`);
      await admin.locator('details').evaluateAll((ds) => {
        for (const d of ds) (d as HTMLDetailsElement).open = true;
      });
      await check(admin, `phone ${section}`);
      await shot(admin, 'config', `10-phone-${section}`);
    }
    // A confirmation and a refusal are screens too.
    await admin.goto(`${rig.shellUrl}/#/config/lanes`);
    await admin.getByTestId(`lane-toggle-${rig.station.world.laneId}`).click();
    await admin.waitForSelector('[data-testid=confirm]');
    await check(admin, 'phone confirm');
    await admin.getByTestId('confirm-no').click();

    await admin.setViewportSize({ width: 1280, height: 900 });
    for (const section of ['lanes', 'terminals', 'accounts', 'versions'] as const) {
      await admin.goto(`${rig.shellUrl}/#/config/${section}`);
      await admin.waitForSelector(`[data-testid=config-${section}] :is(ul, table, [data-testid=sync-state])`);
      await check(admin, `desktop ${section}`);
      await shot(admin, 'config', `20-desktop-${section}`);
    }
    // The desktop layout: the section menu beside the content, a page wider than a phone's.
    const layout = await admin.evaluate(() => {
      const nav = document.querySelector('.config-nav')?.getBoundingClientRect();
      const main = document.querySelector('.config-body > main')?.getBoundingClientRect();
      return { navRight: nav?.right ?? 0, mainLeft: main?.left ?? 0, mainWidth: main?.width ?? 0 };
    });
    expect(layout.mainLeft).toBeGreaterThanOrEqual(layout.navRight);
    expect(layout.mainWidth).toBeGreaterThan(600);
    await admin.context().close();

    const collector = await loggedInPage(rig);
    await collector.evaluate(() => {
      location.hash = '#/config/accounts';
    });
    await collector.waitForSelector('[data-testid=config-refused]');
    await check(collector, 'collector refused');
    await collector.context().close();
    expect(failures).toEqual([]);
  }, 120_000);
});
