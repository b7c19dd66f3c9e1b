import { describe, expect, it } from 'vitest';
import { phoneContext, shot } from './browser';
import { useRig } from './setup';

describe('handheld PWA: installable, and the shell opens after a reload without network', () => {
  const rig = useRig();

  it('has a manifest and, once the service worker cached the shell, reloads offline', async () => {
    const ctx = await phoneContext(rig().browser);
    const page = await ctx.newPage();
    await page.goto(`${rig().shellUrl}/#/login`);
    const manifest = await page.evaluate(async () => {
      const href = document.querySelector('link[rel=manifest]')?.getAttribute('href') ?? '';
      return (await fetch(href)).json() as Promise<{ display: string; icons: unknown[]; start_url: string }>;
    });
    expect(manifest.display).toBe('standalone');
    expect(manifest.icons.length).toBeGreaterThan(0);
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await ctx.setOffline(true);
    await page.reload();
    await page.waitForSelector('#username', { timeout: 10_000 });
    expect(await page.getByRole('button', { name: '【登录】' }).count()).toBe(1);
    // Without the station, logging in says so in Chinese, with the code, and keeps what was typed.
    await page.fill('#username', 'demo-collector');
    await page.fill('#password', 'x');
    await page.getByRole('button', { name: '【登录】' }).click();
    await page.waitForSelector('[data-testid=error]');
    await expect(page.getByTestId('error').getAttribute('data-code')).resolves.toMatch(
      /^HH_ERR_(NETWORK|TIMEOUT)$/,
    );
    expect(await page.inputValue('#username')).toBe('demo-collector');
    await shot(page, 'pwa-offline', '01-login-offline');
    await ctx.close();
  }, 60_000);
});
