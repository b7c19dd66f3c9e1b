import { afterEach, describe, expect, it, vi } from 'vitest';
import { StationClient } from './api/station-client';
import { loadSession, saveSession } from './session';

const PAGE = 'https://station.test:8088';
const STRANGER = 'https://attacker.test';
const TEST_TOKEN = 'TEST-session-token';
const TEST_ACCOUNT = {
  id: 'a1',
  username: 'test-collector',
  displayName: '测试',
  role: 'collector' as const,
};

function page(search: string): Map<string, string> {
  const store = new Map<string, string>();
  vi.stubGlobal('location', { origin: PAGE, search });
  vi.stubGlobal('localStorage', {
    getItem: (k: string) => store.get(k) ?? null,
    setItem: (k: string, v: string) => store.set(k, v),
  });
  return store;
}

interface Call {
  url: string;
  headers: Record<string, string>;
  credentials: RequestCredentials | undefined;
}

function recordingClient(baseUrl: string, calls: Call[], signedIn = true): StationClient {
  return new StationClient({
    baseUrl,
    signedIn,
    fetchImpl: async (url, init) => {
      calls.push({
        url: String(url),
        headers: (init?.headers ?? {}) as Record<string, string>,
        credentials: init?.credentials,
      });
      // One body that is both a login answer and /config/station's (TEST data).
      const body = {
        stationId: 'S',
        stationHex: '00000000',
        name: 'TEST',
        account: TEST_ACCOUNT,
        expiresAt: 'x',
      };
      return new Response(JSON.stringify(body), {
        status: 200,
        headers: { 'content-type': 'application/json' },
      });
    },
  });
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('the handheld talks only to its own station origin', () => {
  it('ignores ?station= pointing elsewhere: calls go only to the origin that served the page', async () => {
    page(`?station=${encodeURIComponent(STRANGER)}&terminal=HH-TEST-01`);
    // A returning phone: logged in earlier on this origin.
    saveSession({ baseUrl: PAGE, terminalId: 'HH-TEST-01', account: TEST_ACCOUNT, signedIn: true });
    const s = loadSession();
    expect(s.baseUrl).toBe(PAGE);
    expect(s.signedIn).toBe(true);
    const calls: Call[] = [];
    await recordingClient(s.baseUrl, calls)
      .me()
      .catch(() => undefined);
    expect(calls.length).toBeGreaterThan(0);
    for (const c of calls) expect(new URL(c.url).origin).toBe(PAGE);
  });

  it('does not count a login stored for another origin', () => {
    const store = page('');
    store.set(
      'tollpad.session',
      JSON.stringify({ baseUrl: STRANGER, terminalId: 'HH-TEST-01', account: TEST_ACCOUNT, signedIn: true }),
    );
    const s = loadSession();
    expect(s.baseUrl).toBe(PAGE);
    expect(s.signedIn).toBe(false);
    expect(s.account).toBeNull();
  });
});

describe('the session token is not the script’s to hold', () => {
  it('sends the session header on every call with same-origin credentials, and never an authorization header', async () => {
    page('');
    const calls: Call[] = [];
    const client = recordingClient(PAGE, calls, false);
    await client.login('test-collector', 'TEST-password', 'HH-TEST-01');
    await client.lanes().catch(() => undefined);
    await client.shiftReportHtml('shift-1').catch(() => undefined);
    await client.logout();
    expect(calls).toHaveLength(4);
    for (const c of calls) {
      expect(c.headers['x-tollpad-csrf']).toBe('1');
      expect(c.credentials).toBe('same-origin');
      expect(c.headers.authorization).toBeUndefined();
    }
  });

  it('stores who is logged in, never a token; a token left by an older version is wiped on load', () => {
    const store = page('');
    store.set(
      'tollpad.session',
      JSON.stringify({ baseUrl: PAGE, terminalId: 'HH-TEST-01', token: TEST_TOKEN, account: TEST_ACCOUNT }),
    );
    const s = loadSession();
    // The old bearer login has no cookie behind it: log in again.
    expect(s.signedIn).toBe(false);
    expect(s.account).toEqual(TEST_ACCOUNT);
    expect(store.get('tollpad.session')).not.toContain(TEST_TOKEN);
    saveSession({ ...s, signedIn: true, token: TEST_TOKEN } as typeof s);
    expect(store.get('tollpad.session')).not.toContain(TEST_TOKEN);
  });
});
