import { isGreenBanned, makeGreenVehicle } from './cpc-vehicles';
import type { PlazaDayOptions } from './options';
import type { Prng } from './prng';
import { callJson, type RetryStats } from './station-client';
import { mediumOf } from './traffic';

/**
 * The green-channel ban list of a mixed day (绿通禁止名单, cpc-card.md §8): the plates of the day's banned green
 * trucks, published at the centre as its publisher does (`vehicle-green-ban`, reason 2 多次假冒绿通) and cut
 * before the station starts, so the station's first sync holds them when the trucks arrive.
 */

/** [P] The ban's reason code: 多次假冒绿通 (packages/lists kinds.ts). */
const BAN_REASON = 2;

/** The day's banned green trucks' list keys (`plate_colour`), drawn as the traffic will draw them. */
export function greenBanKeys(o: PlazaDayOptions, root: Prng): string[] {
  if (!o.media || o.media.green <= 0) return [];
  const keys: string[] = [];
  for (let index = 0; index < o.exits; index++) {
    if (!isGreenBanned(index) || mediumOf(o, root, index) !== 'green') continue;
    const v = makeGreenVehicle(index, root.fork(0x1000 + index), o.pay);
    keys.push(`${v.spec.plate}_${v.spec.colour}`);
  }
  return keys;
}

/** Publishes the ban entries and cuts the list (the centre's publisher API). */
export async function publishGreenBans(centreUrl: string, keys: readonly string[], stats: RetryStats) {
  for (let k = 0; k < keys.length; k += 1000) {
    const changes = keys.slice(k, k + 1000).map((key) => ({ key, type: BAN_REASON, action: 'add' }));
    await callJson(centreUrl, 'POST', '/lists/vehicle-green-ban/changes', { body: { changes } }, stats);
  }
  await callJson(centreUrl, 'POST', '/lists/vehicle-green-ban/cut', {}, stats);
}
