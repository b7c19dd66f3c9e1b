import { buildIndex, ListStore } from '@tollpad/lists';
import type { GreenListStatus, ListHit } from '@tollpad/station-api';

/**
 * The station's view of the status lists (状态名单), backed by @tollpad/lists' compact index
 * (ListStore). The exit checks ask by list and key and get the type, reason and the version that
 * answered (it goes into the record).
 */
export type ListKind = ListHit['list'];

/** A hit is shown to the collector as is: its shape is the wire contract's. */
export type { ListHit };

export interface StatusLists {
  versions(): Record<string, string>;
  lookup(list: ListKind, key: string): ListHit | null;
  /** The green-channel appointment and ban of a vehicle (plate_colour), from the lists as synced. */
  green(vehicleId: string): GreenListStatus;
}

/** Station list names → @tollpad/lists kinds (the vehicle list consulted at exit is the chase list). */
const KIND = { card: 'card', obu: 'obu', vehicle: 'vehicle-chase' } as const;

export function statusListsFromStore(store: ListStore): StatusLists {
  return {
    versions: () => {
      const v: Record<string, string> = {};
      for (const [k, ver] of Object.entries(store.versions())) if (ver !== undefined) v[k] = ver;
      return v;
    },
    lookup(list, key) {
      const hit = store.lookup(KIND[list], key);
      return hit ? { list, type: hit.type, version: hit.version, reason: hit.reason } : null;
    },
    green(vehicleId) {
      const hit = (kind: 'vehicle-green' | 'vehicle-green-ban') => {
        const h = store.lookup(kind, vehicleId);
        return h ? { type: h.type, reason: h.reason, version: h.version } : null;
      };
      return { vehicleId, appointment: hit('vehicle-green'), ban: hit('vehicle-green-ban') };
    },
  };
}

/** JSON list file (`<card|obu|vehicle>.json` in LISTS_DIR, handy for tests and demos). */
export interface ListFile {
  version: string;
  entries: { key: string; type: number; reason?: string }[];
}

/** The green-channel lists as JSON files (`green.json` appointments, `green-ban.json` bans). */
const GREEN_FILES = { green: 'vehicle-green', 'green-ban': 'vehicle-green-ban' } as const;
export type GreenListFile = keyof typeof GREEN_FILES;

/** Builds a store from JSON list files; a malformed file is an error (the previous lists stay in force). */
export function storeFromJson(
  files: Partial<Record<ListKind | GreenListFile, ListFile>>,
  store = new ListStore(),
): ListStore {
  for (const name of ['green', 'green-ban'] as const) {
    const f = files[name];
    if (!f) continue;
    const r = buildIndex(GREEN_FILES[name], f.version, f.entries, `${name}.json`);
    if (!r.ok) throw new Error(`${name} list: ${r.error.field}: ${r.error.reason}`);
    store.setFull(r.value);
  }
  for (const kind of ['card', 'obu', 'vehicle'] as const) {
    const f = files[kind];
    if (!f) continue;
    const r = buildIndex(KIND[kind], f.version, f.entries, `${kind}.json`);
    if (!r.ok) throw new Error(`${kind} list: ${r.error.field}: ${r.error.reason}`);
    store.setFull(r.value);
  }
  return store;
}

export function statusListsFromFiles(
  files: Partial<Record<ListKind | GreenListFile, ListFile>>,
): StatusLists {
  return statusListsFromStore(storeFromJson(files));
}
