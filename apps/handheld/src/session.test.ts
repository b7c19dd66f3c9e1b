import { afterEach, describe, expect, it, vi } from 'vitest';
import { StationClient } from './api/station-client';
import { loadSession, saveSession } from './session';

const PAGE = 'https://station.test:8088';
const STRANGER = 'https://attacker.test';
const TEST_TOKEN = 'TEST-session-token';

function page(search: string): Map<string, string> {
  const store = new Map<string, string>();
  vi.stubGlobal('location', { origin: PAGE, search });
  vi.stubGlobal('localStorage', {
    getItem: (k: string) => store.get(k) ?? null,
    setItem: (k: string, v: string) => store.set(k, v),
  });
  return store;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('the handheld talks only to its own station origin', () => {
  it('ignores ?station= pointing elsewhere: the stored token goes only to the origin that served the page', async () => {
    page(`?station=${encodeURIComponent(STRANGER)}&terminal=HH-TEST-01`);
    // A returning phone: logged in earlier on this origin.
    saveSession({ baseUrl: PAGE, terminalId: 'HH-TEST-01', token: TEST_TOKEN, account: null });
    const s = loadSession();
    expect(s.baseUrl).toBe(PAGE);
    const calls: { url: string; auth: string | undefined }[] = [];
    const client = new StationClient({
      baseUrl: s.baseUrl,
      token: s.token,
      fetchImpl: async (url, init) => {
        calls.push({ url: String(url), auth: (init?.headers as Record<string, string>).authorization });
        return new Response('{"stationId":"S"}', {
          status: 200,
          headers: { 'content-type': 'application/json' },
        });
      },
    });
    await client.me().catch(() => undefined);
    expect(calls.length).toBeGreaterThan(0);
    for (const c of calls) expect(new URL(c.url).origin).toBe(PAGE);
    expect(calls.some((c) => c.auth === `Bearer ${TEST_TOKEN}`)).toBe(true);
  });

  it('does not use a login stored for another origin', () => {
    const store = page('');
    store.set(
      'tollpad.session',
      JSON.stringify({ baseUrl: STRANGER, terminalId: 'HH-TEST-01', token: TEST_TOKEN }),
    );
    const s = loadSession();
    expect(s.baseUrl).toBe(PAGE);
    expect(s.token).toBeNull();
  });
});
