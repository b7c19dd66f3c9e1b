import type { StationClient } from './api/station-client';
import type { CardDesk } from './card/card-desk';
import type { CpcDesk } from './card/cpc-desk';
import type { PayCardDesk } from './card/pay-card-desk';
import type { ReaderHub } from './card/reader-hub-types';
import type { JournalStore } from './journal/idb-journal';
import type { PendingCpcWrite } from './journal/pending-cpc';
import type { StoredSession } from './session';

/** Everything a screen may use, built once in main.ts. */
export interface AppServices {
  client: StationClient;
  hub: ReaderHub;
  desk: CardDesk;
  /** The CPC's read and exit write (CPC卡交易). */
  cpc: CpcDesk;
  /** The driver's ETC card as payment card for a CPC trip (read, debit, recovery). */
  payCard: PayCardDesk;
  journal: JournalStore;
  /** The CPC exits whose cash was confirmed and whose write and record are not done (durable). */
  cpcJournal: JournalStore<PendingCpcWrite>;
  session: StoredSession;
  persistSession(): void;
  /** Station context learned after login, used for the exit 0019. */
  setStationHex(hex: string): void;
  setLaneHex(id: string, hex: string): void;
}

/** The sections of 系统配置 (screens/config/). */
export type ConfigSection = 'lanes' | 'terminals' | 'accounts' | 'versions';
const CONFIG_SECTIONS: readonly string[] = ['lanes', 'terminals', 'accounts', 'versions'];

export type Route =
  | { name: 'login' }
  | { name: 'config'; section: ConfigSection }
  | { name: 'home' }
  | { name: 'exit'; laneId: string; txnId?: string }
  | { name: 'cpc'; laneId: string; txnId?: string }
  /** 【无卡交易】: a vehicle without a usable card. */
  | { name: 'none'; laneId: string; txnId?: string }
  | { name: 'monitor' }
  | { name: 'report' }
  /** 交班: the collector's open shift, or (monitor) the shift named. */
  | { name: 'handover'; shiftId?: string }
  | { name: 'readers' }
  /** 退款 (monitor, admin): a captured QR payment, looked up or named by its pay ID or trade ID. */
  | { name: 'refund'; ref?: string }
  /**
   * 补缴: a payback of a plate's open arrears — opened from the exit it was found at (`#/arrears/<lane>/new/
   * <plate>/<colour>/<exit>`), then followed by its ID (`#/arrears/<lane>/<payback>`: a reload resumes it).
   */
  | { name: 'arrears'; laneId: string; paybackId: string }
  | { name: 'arrears'; laneId: string; plate: string; colour: number; exitTxnId?: string }
  /** A committed exit's printable receipt; `reprint` marks it 重打. */
  | { name: 'receipt'; tradeId: string; reprint: boolean };

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  switch (parts[0]) {
    case 'home':
      return { name: 'home' };
    case 'exit':
    case 'cpc':
    case 'none':
      return parts[1]
        ? { name: parts[0], laneId: parts[1], ...(parts[2] ? { txnId: parts[2] } : {}) }
        : { name: 'home' };
    case 'monitor':
      return { name: 'monitor' };
    case 'report':
      return { name: 'report' };
    case 'handover':
      return parts[1] ? { name: 'handover', shiftId: parts[1] } : { name: 'handover' };
    case 'readers':
      return { name: 'readers' };
    case 'refund':
      return parts[1] ? { name: 'refund', ref: parts[1] } : { name: 'refund' };
    case 'arrears':
      if (!parts[1] || !parts[2]) return { name: 'home' };
      if (parts[2] !== 'new') return { name: 'arrears', laneId: parts[1], paybackId: parts[2] };
      return parts[3]
        ? {
            name: 'arrears',
            laneId: parts[1],
            plate: parts[3],
            colour: Number(parts[4] ?? 0) || 0,
            ...(parts[5] ? { exitTxnId: parts[5] } : {}),
          }
        : { name: 'home' };
    case 'receipt':
      return parts[1]
        ? { name: 'receipt', tradeId: parts[1], reprint: parts[2] === 'reprint' }
        : { name: 'home' };
    case 'config':
      return {
        name: 'config',
        section: CONFIG_SECTIONS.includes(parts[1] ?? '') ? (parts[1] as ConfigSection) : 'lanes',
      };
    default:
      return { name: 'login' };
  }
}

export function routeHash(r: Route): string {
  switch (r.name) {
    case 'exit':
    case 'cpc':
    case 'none':
      return `#/${r.name}/${encodeURIComponent(r.laneId)}${r.txnId ? `/${encodeURIComponent(r.txnId)}` : ''}`;
    case 'config':
      return `#/config/${r.section}`;
    case 'refund':
      return r.ref ? `#/refund/${encodeURIComponent(r.ref)}` : '#/refund';
    case 'handover':
      return r.shiftId ? `#/handover/${encodeURIComponent(r.shiftId)}` : '#/handover';
    case 'arrears': {
      const lane = encodeURIComponent(r.laneId);
      if ('paybackId' in r) return `#/arrears/${lane}/${encodeURIComponent(r.paybackId)}`;
      const exit = r.exitTxnId ? `/${encodeURIComponent(r.exitTxnId)}` : '';
      return `#/arrears/${lane}/new/${encodeURIComponent(r.plate)}/${r.colour}${exit}`;
    }
    case 'receipt':
      return `#/receipt/${encodeURIComponent(r.tradeId)}${r.reprint ? '/reprint' : ''}`;
    default:
      return `#/${r.name}`;
  }
}

export function navigate(r: Route): void {
  const hash = routeHash(r);
  if (location.hash !== hash) location.hash = hash;
}
