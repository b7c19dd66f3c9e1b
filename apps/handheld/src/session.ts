import type { Account } from './api/types';

/** What survives a reload: the station URL, this handheld's ID and the login (token). */
export interface StoredSession {
  baseUrl: string;
  terminalId: string;
  token: string | null;
  account: Account | null;
}

const KEY = 'tollpad.session';

/** [P] The handheld's terminal ID is configured once per device; HH-TEST-01 is the demo/test one. */
export const DEFAULT_TERMINAL_ID = 'HH-DEMO-01';

/**
 * The one station origin this handheld talks to: fixed when the app is built (VITE_STATION_ORIGIN) or else
 * the origin that served the page. Never taken from the URL (`?station=`) or from storage: a link or a
 * stored value pointing elsewhere would send the collector's token to another server.
 */
export function stationOrigin(): string {
  const env = (import.meta as { env?: Record<string, string | undefined> }).env;
  const configured = env?.VITE_STATION_ORIGIN;
  return configured ? new URL(configured).origin : (globalThis.location?.origin ?? '');
}

export function loadSession(): StoredSession {
  const params = new URLSearchParams(globalThis.location?.search ?? '');
  const baseUrl = stationOrigin();
  const fallback: StoredSession = {
    baseUrl,
    terminalId: params.get('terminal') ?? DEFAULT_TERMINAL_ID,
    token: null,
    account: null,
  };
  try {
    const raw = globalThis.localStorage?.getItem(KEY);
    if (!raw) return fallback;
    const s = JSON.parse(raw) as Partial<StoredSession>;
    return {
      baseUrl,
      terminalId:
        params.get('terminal') ?? (typeof s.terminalId === 'string' ? s.terminalId : fallback.terminalId),
      // A login stored for another origin is not used here (nor sent anywhere).
      token: typeof s.token === 'string' && s.baseUrl === baseUrl ? s.token : null,
      account: s.account && typeof s.account === 'object' ? s.account : null,
    };
  } catch {
    return fallback;
  }
}

export function saveSession(s: StoredSession): void {
  try {
    globalThis.localStorage?.setItem(KEY, JSON.stringify(s));
  } catch {
    // Storage full or disabled: the session lasts for this page only.
  }
}
