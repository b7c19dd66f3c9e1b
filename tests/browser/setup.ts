import { issueServerCert } from '@tollpad/server-kit';
import type { Browser, Page } from 'playwright-core';
import { startHandheldServer } from '../../scripts/sim/static-server';
import { perSuite } from '../per-suite';
import { launchBrowser, phoneContext, shot } from './browser';
import { DIST_DIR, ensureHandheldBuilt } from './build';
import { type RunningStation, startStation } from './station';
import { FIXTURE_ACCOUNTS } from './world';

export interface Rig {
  station: RunningStation;
  shellUrl: string;
  browser: Browser;
  close(): Promise<void>;
}

/** Builds the handheld if stale, starts the real station, the shell server and Chromium. */
export async function startRig(): Promise<Rig> {
  ensureHandheldBuilt();
  const station = await startStation();
  // Station down: the page shows the code a 502 body carries, so the tests see the handheld's own
  // "network down" error (HH_ERR_NETWORK) rather than the demo's.
  // The shell is served over HTTPS with a certificate from the station CA, as `npm start` does.
  const identity = await issueServerCert(station.ca, { hosts: ['127.0.0.1', 'localhost'] });
  const shell = await startHandheldServer(
    DIST_DIR,
    station.url,
    0,
    { statusCode: 502, code: 'HH_ERR_NETWORK', error: 'Bad Gateway', message: '无法连接收费站服务器' },
    { identity, stationCa: station.ca.cert },
  );
  const browser = await launchBrowser(station.ca.cert);
  // The collector's shift is open (开班 is not part of the exit flow).
  const shift = await station.api('collector', 'POST', '/shifts');
  if (shift.status !== 201) throw new Error(`open shift: ${JSON.stringify(shift.json)}`);
  return {
    station,
    shellUrl: shell.url,
    browser,
    async close() {
      await browser.close().catch(() => undefined);
      await shell.close();
      await station.stop();
    },
  };
}

/** One rig for the tests of the enclosing `describe` (a getter: the rig exists once `beforeAll` ran). */
export function useRig(): () => Rig {
  return perSuite(startRig, (rig) => rig.close());
}

/** A fresh phone page, logged in as `role`, with the TEST handheld's terminal ID. */
export async function loggedInPage(rig: Rig, role: 'collector' | 'monitor' = 'collector'): Promise<Page> {
  const ctx = await phoneContext(rig.browser);
  const page = await ctx.newPage();
  await page.goto(`${rig.shellUrl}/?terminal=${rig.station.world.terminalId}#/login`);
  await page.fill('#username', FIXTURE_ACCOUNTS[role].username);
  await page.fill('#password', FIXTURE_ACCOUNTS[role].password);
  await page.getByRole('button', { name: '【登录】' }).click();
  await page.waitForSelector(role === 'monitor' ? '[data-testid=authorisations]' : '[data-testid=lanes]');
  return page;
}

/** Training panel: a new TEST vehicle arrives with its card in the OBU (not collector taps). */
export async function trainingVehicle(page: Page, id: string): Promise<void> {
  await page.getByTestId('reader-toggle').click();
  await page.selectOption('#vehicle', id);
  await page.getByTestId('new-vehicle').click();
  await page.waitForSelector('[data-testid=reader-bar][data-card=present]');
  await page.getByTestId('reader-toggle').click();
}

export async function armFault(
  page: Page,
  step: 'read' | 'init' | 'debit',
  action: 'pull' | 'reload',
): Promise<void> {
  await page.getByTestId('reader-toggle').click();
  await page.selectOption('#fault-step', step);
  await page.selectOption('#fault-action', action);
  await page.getByTestId('arm-fault').click();
  await page.getByTestId('reader-toggle').click();
}

/** Training panel: put the (same) card back into the field. */
export async function insertCard(page: Page): Promise<void> {
  await page.getByTestId('reader-toggle').click();
  await page.getByTestId('insert-card').click();
  await page.waitForSelector('[data-testid=reader-bar][data-card=present]');
  await page.getByTestId('reader-toggle').click();
}

/** Counts the collector's taps. */
export class Taps {
  n = 0;
  constructor(private readonly page: Page) {}
  async tap(selector: string): Promise<void> {
    this.n++;
    await this.page.locator(selector).first().click();
  }
}

/** The exit from home up to the card read: lane, 【ETC联动单卡交易】, 【读卡】. */
export async function toCardRead(page: Page, laneId: string, taps = new Taps(page)): Promise<void> {
  await taps.tap(`[data-lane="${laneId}"]`);
  await taps.tap('[data-testid=start-exit]');
  await page.waitForSelector('[data-testid=read-card]');
  await taps.tap('[data-testid=read-card]');
  await page.waitForSelector('[data-testid=card-panel]');
}

/**
 * The exit from home: lane, 【ETC联动单卡交易】, 【读卡】, photo, 【提交图片数据】, 【算费】 (stops there).
 */
export async function toFee(page: Page, laneId: string, taps: Taps, name: string): Promise<void> {
  await toCardRead(page, laneId, taps);
  await shot(page, name, '02-card-read');
  await taps.tap('[data-testid=take-photo]');
  await page.waitForSelector('img.photo');
  await taps.tap('[data-testid=submit-image]');
  await page.waitForSelector('text=图片数据已提交');
  await shot(page, name, '03-image-submitted');
  await taps.tap('[data-testid=compute-fee]');
  await page.waitForSelector('[data-testid=fee-info]');
  await shot(page, name, '04-fee');
}
