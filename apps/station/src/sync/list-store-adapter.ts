import { LIST_KINDS, type ListStore, type ListKind as StoreKind } from '@tollpad/lists';
import type { ListKind, StatusLists } from '../ports/status-lists';

/** The exit checks ask for 'vehicle'; in the province's lists that is the chase list (追缴名单). */
const STORE_KIND: Readonly<Record<ListKind, StoreKind>> = {
  card: 'card',
  obu: 'obu',
  vehicle: 'vehicle-chase',
};

/**
 * The station's StatusLists port over a @tollpad/lists ListStore (the compact index fed by the centre).
 * The store handed in must not change afterwards: the sync builds a new store for every swap.
 */
export function statusListsFromStore(store: ListStore): StatusLists {
  const versions = Object.fromEntries(
    LIST_KINDS.flatMap((k) => {
      const v = store.get(k)?.version;
      return v ? [[k, v] as const] : [];
    }),
  );
  return {
    versions: () => ({ ...versions }),
    lookup(list, key) {
      const hit = store.lookup(STORE_KIND[list], key);
      return hit ? { list, type: hit.type, version: hit.version, reason: hit.reason } : null;
    },
  };
}
