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

export function loadSession(): StoredSession {
  const params = new URLSearchParams(globalThis.location?.search ?? '');
  const fallback: StoredSession = {
    baseUrl: params.get('station') ?? globalThis.location?.origin ?? '',
    terminalId: params.get('terminal') ?? DEFAULT_TERMINAL_ID,
    token: null,
    account: null,
  };
  try {
    const raw = globalThis.localStorage?.getItem(KEY);
    if (!raw) return fallback;
    const s = JSON.parse(raw) as Partial<StoredSession>;
    return {
      baseUrl: params.get('station') ?? (typeof s.baseUrl === 'string' ? s.baseUrl : fallback.baseUrl),
      terminalId:
        params.get('terminal') ?? (typeof s.terminalId === 'string' ? s.terminalId : fallback.terminalId),
      token: typeof s.token === 'string' ? s.token : null,
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
