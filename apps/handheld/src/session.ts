import type { Account } from './api/types';

/**
 * What survives a reload: the station URL, this handheld's ID and who is logged in (to show it, and to know
 * a login exists). The session token itself is an HttpOnly cookie the station sets: no script, ours or an
 * injected one, can read it, and it is never stored here.
 */
export interface StoredSession {
  baseUrl: string;
  terminalId: string;
  /** The last account logged in here (kept after logout to fill in the 工号). */
  account: Account | null;
  /** Whether that login is live: the station's cookie says for sure, a 401 turns this off. */
  signedIn: boolean;
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
    account: null,
    signedIn: false,
  };
  try {
    const raw = globalThis.localStorage?.getItem(KEY);
    if (!raw) return fallback;
    const s = JSON.parse(raw) as Partial<StoredSession> & { token?: unknown };
    const session: StoredSession = {
      baseUrl,
      terminalId:
        params.get('terminal') ?? (typeof s.terminalId === 'string' ? s.terminalId : fallback.terminalId),
      // A login made against another origin is not this station's.
      account: s.account && typeof s.account === 'object' && s.baseUrl === baseUrl ? s.account : null,
      signedIn: s.signedIn === true && s.baseUrl === baseUrl,
    };
    // A token left by an older version is wiped, not kept where script can read it.
    if ('token' in s) saveSession(session);
    return session;
  } catch {
    return fallback;
  }
}

export function saveSession(s: StoredSession): void {
  try {
    const { baseUrl, terminalId, account, signedIn } = s;
    globalThis.localStorage?.setItem(KEY, JSON.stringify({ baseUrl, terminalId, account, signedIn }));
  } catch {
    // Storage full or disabled: the session lasts for this page only.
  }
}
