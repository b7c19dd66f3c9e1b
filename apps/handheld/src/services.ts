import type { StationClient } from './api/station-client';
import type { CardDesk } from './card/card-desk';
import type { ReaderHub } from './card/reader-hub-types';
import type { JournalStore } from './journal/idb-journal';
import type { StoredSession } from './session';

/** Everything a screen may use, built once in main.ts. */
export interface AppServices {
  client: StationClient;
  hub: ReaderHub;
  desk: CardDesk;
  journal: JournalStore;
  session: StoredSession;
  persistSession(): void;
  /** Station context learned after login, used for the exit 0019. */
  setStationHex(hex: string): void;
  setLaneHex(id: string, hex: string): void;
}

export type Route =
  | { name: 'login' }
  | { name: 'home' }
  | { name: 'exit'; laneId: string; txnId?: string }
  | { name: 'monitor' }
  | { name: 'report' }
  | { name: 'readers' };

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  switch (parts[0]) {
    case 'home':
      return { name: 'home' };
    case 'exit':
      return parts[1]
        ? { name: 'exit', laneId: parts[1], ...(parts[2] ? { txnId: parts[2] } : {}) }
        : { name: 'home' };
    case 'monitor':
      return { name: 'monitor' };
    case 'report':
      return { name: 'report' };
    case 'readers':
      return { name: 'readers' };
    default:
      return { name: 'login' };
  }
}

export function routeHash(r: Route): string {
  switch (r.name) {
    case 'exit':
      return `#/exit/${encodeURIComponent(r.laneId)}${r.txnId ? `/${encodeURIComponent(r.txnId)}` : ''}`;
    default:
      return `#/${r.name}`;
  }
}

export function navigate(r: Route): void {
  const hash = routeHash(r);
  if (location.hash !== hash) location.hash = hash;
}
