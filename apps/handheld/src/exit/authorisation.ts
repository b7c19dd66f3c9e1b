import type { StationClient } from '../api/station-client';
import type { ExitTxn } from '../api/types';
import { toUserFacing, type UserFacingError } from '../errors';
import { L } from '../i18n';

/** True while the priced transaction waits for the monitor's decision. */
export function awaitsAuthorisation(t: ExitTxn): boolean {
  return t.state === 'priced' && t.auth.status === 'required';
}

/**
 * Long-polls the station until the monitor decides (or `alive` turns false). Patchy Wi-Fi is said
 * through `onRetry` and waited out; any other failure is thrown. Returns the last transaction seen.
 */
export async function waitForAuthorisation(
  client: Pick<StationClient, 'waitAuthorisation'>,
  first: ExitTxn,
  hooks: {
    alive: () => boolean;
    onTxn: (t: ExitTxn) => void;
    onRetry: (e: UserFacingError) => void;
    pause?: () => Promise<void>;
  },
): Promise<ExitTxn> {
  const pause = hooks.pause ?? (() => new Promise<void>((r) => setTimeout(r, 1000)));
  let t = first;
  while (hooks.alive() && awaitsAuthorisation(t)) {
    try {
      t = await client.waitAuthorisation(t.id);
    } catch (e) {
      const u = toUserFacing(e);
      if (u.code !== 'HH_ERR_TIMEOUT' && u.code !== 'HH_ERR_NETWORK') throw e;
      hooks.onRetry(u);
      await pause();
    }
    if (hooks.alive()) hooks.onTxn(t);
  }
  return t;
}

/** The error box for a refusal by the monitor, with the reason given; null when not refused. */
export function refusalError(auth: ExitTxn['auth']): UserFacingError | null {
  if (auth.status !== 'refused') return null;
  return {
    code: 'STN_ERR_EXIT_AUTH_REFUSED',
    message: `${L('班长未授权', 'Monitor refused')}${auth.reason ? `：${auth.reason}` : ''}`,
    action: L(
      '请按班长意见处理（改用其他方式收费），或返回主页',
      'Follow the monitor; use another payment or go home',
    ),
  };
}
