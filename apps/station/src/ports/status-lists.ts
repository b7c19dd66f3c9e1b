/**
 * The station's view of the status lists (状态名单). @tollpad/lists is being built in parallel; until its
 * index is wired in, this interface plus the simple file-backed adapter below serve the exit checks.
 */
export type ListKind = 'card' | 'obu' | 'vehicle';

export interface ListHit {
  list: ListKind;
  /** List type code (card: 1 挂失 … 7 余额不足; OBU 1–4/101–105; vehicle 1 追缴). */
  type: number;
  /** The version of the list that answered: it goes into the record. */
  version: string;
  reason: string;
}

export interface StatusLists {
  versions(): Record<string, string>;
  lookup(list: ListKind, key: string): ListHit | null;
}

/** File format (one per list, `<kind>.json` in LISTS_DIR): `{ version, entries: [{ key, type, reason? }] }`. */
export interface ListFile {
  version: string;
  entries: { key: string; type: number; reason?: string }[];
}

export function statusListsFromFiles(files: Partial<Record<ListKind, ListFile>>): StatusLists {
  const maps = new Map<ListKind, { version: string; byKey: Map<string, { type: number; reason: string }> }>();
  for (const kind of ['card', 'obu', 'vehicle'] as const) {
    const f = files[kind];
    const byKey = new Map<string, { type: number; reason: string }>();
    for (const e of f?.entries ?? []) byKey.set(e.key, { type: e.type, reason: e.reason ?? '' });
    maps.set(kind, { version: f?.version ?? 'none', byKey });
  }
  return {
    versions: () => Object.fromEntries([...maps].map(([k, v]) => [k, v.version])),
    lookup(list, key) {
      const m = maps.get(list);
      const hit = m?.byKey.get(key);
      return m && hit ? { list, type: hit.type, version: m.version, reason: hit.reason } : null;
    },
  };
}
