import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spkiSha256 } from '@tollpad/server-kit';
import {
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  chromium,
  type Page,
} from 'playwright-core';

export const SCREENSHOT_DIR = fileURLToPath(new URL('../../test-results/handheld', import.meta.url));

/**
 * Debian's Chromium, headless, no network noise. With `trustedCaCert`, Chromium accepts certificates whose
 * chain contains that CA's public key (`--ignore-certificate-errors-spki-list`; the servers send the CA in
 * their chain): a real pin of the one TEST CA, not `ignoreHTTPSErrors`, which would accept any certificate
 * and so would not test the HTTPS set-up. Playwright's own profile directory satisfies the flag's need for
 * a user-data-dir.
 */
export function launchBrowser(trustedCaCert?: string): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
      ...(trustedCaCert ? [`--ignore-certificate-errors-spki-list=${spkiSha256(trustedCaCert)}`] : []),
    ],
  });
}

/** A phone: 390×844, touch, Chinese; `storageState` carries over another context's login (cookie and storage). */
export function phoneContext(
  browser: Browser,
  storageState?: BrowserContextOptions['storageState'],
): Promise<BrowserContext> {
  return browser.newContext({
    ...(storageState ? { storageState } : {}),
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 1,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
}

export async function shot(page: Page, test: string, step: string): Promise<void> {
  const dir = join(SCREENSHOT_DIR, test);
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${step}.png`), fullPage: true });
}
