import { buildIndex, ListStore } from '@tollpad/lists';
import type { ListHit } from '@tollpad/station-api';

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
  };
}

/** JSON list file (`<card|obu|vehicle>.json` in LISTS_DIR, handy for tests and demos). */
export interface ListFile {
  version: string;
  entries: { key: string; type: number; reason?: string }[];
}

/** Builds a store from JSON list files; a malformed file is an error (the previous lists stay in force). */
export function storeFromJson(
  files: Partial<Record<ListKind, ListFile>>,
  store = new ListStore(),
): ListStore {
  for (const kind of ['card', 'obu', 'vehicle'] as const) {
    const f = files[kind];
    if (!f) continue;
    const r = buildIndex(KIND[kind], f.version, f.entries, `${kind}.json`);
    if (!r.ok) throw new Error(`${kind} list: ${r.error.field}: ${r.error.reason}`);
    store.setFull(r.value);
  }
  return store;
}

export function statusListsFromFiles(files: Partial<Record<ListKind, ListFile>>): StatusLists {
  return statusListsFromStore(storeFromJson(files));
}
