import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { loggedInPage, useRig } from './setup';

/** A page on another site (served by Playwright itself: never reaches the network). */
const STRANGER_SITE = 'https://attacker.test/';

async function sessionCookieOf(ctx: BrowserContext) {
  return (await ctx.cookies()).find((c) => c.name.endsWith('tollpad-session'));
}

/** Everything the page's script can see: cookies it may read and both web storages. */
function whatScriptSees(page: Page): Promise<string> {
  return page.evaluate(() => {
    const dump = (s: Storage) => Object.keys(s).map((k) => `${k}=${s.getItem(k)}`);
    return [document.cookie, ...dump(localStorage), ...dump(sessionStorage)].join('\n');
  });
}

describe('handheld in a real browser: the session token is out of script’s reach', () => {
  const rig = useRig();

  it('after login the token is only in an HttpOnly, Secure, SameSite=Strict cookie: not in document.cookie or storage', async () => {
    const page = await loggedInPage(rig());
    const cookie = await sessionCookieOf(page.context());
    expect(cookie).toBeDefined();
    expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Strict', path: '/' });
    expect(cookie?.value.length).toBeGreaterThan(16);
    const seen = await whatScriptSees(page);
    expect(seen).toContain('tollpad.session');
    expect(seen).not.toContain(cookie?.value);
    // A reload keeps the login (the cookie goes with every same-origin call).
    await page.reload();
    await page.waitForSelector('[data-testid=lanes]');
    await page.context().close();
  }, 60_000);

  it('a form posted from another site does not carry the login: the session survives', async () => {
    const page = await loggedInPage(rig());
    const token = (await sessionCookieOf(page.context()))?.value;
    await page.context().route(STRANGER_SITE, (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: `<form method="POST" action="${rig().shellUrl}/auth/logout"></form>`,
      }),
    );
    const stranger = await page.context().newPage();
    await stranger.goto(STRANGER_SITE);
    await Promise.all([
      stranger.waitForURL(`${rig().shellUrl}/auth/logout`),
      stranger.evaluate(() => document.querySelector('form')?.submit()),
    ]);
    expect(await stranger.textContent('body')).toMatch(/STN_ERR_AUTH_(REQUIRED|CSRF)/);
    expect((await sessionCookieOf(page.context()))?.value).toBe(token);
    await page.reload();
    await page.waitForSelector('[data-testid=lanes]');
    await page.context().close();
  }, 60_000);

  it('logout clears the cookie', async () => {
    const page = await loggedInPage(rig());
    expect(await sessionCookieOf(page.context())).toBeDefined();
    await page.getByRole('button', { name: '退出' }).click();
    await page.waitForSelector('#username');
    expect(await sessionCookieOf(page.context())).toBeUndefined();
    await page.context().close();
  }, 60_000);
});
