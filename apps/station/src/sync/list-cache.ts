import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { decodeList, encodeFullList, LIST_KINDS, type ListKind, ListStore } from '@tollpad/lists';

/** What a restart found in the cache. */
export interface CachedLists {
  store: ListStore;
  kinds: ListKind[];
  /** Files that were there but could not be taken (damaged, another kind): the sync fetches those afresh. */
  skipped: { kind: ListKind; reason: string }[];
}

/**
 * The status lists last taken from the centre, kept on the station's disk (`<DATA_DIR>/lists/<kind>.bin`, the
 * lists' own binary format with its CRC). Without it a restarted station served with no blacklist and no
 * green-channel ban until its first sync came back: a SIGKILL or a power cut while the centre is unreachable let
 * a blacklisted card or a banned plate through. The files were checked (signature, chain) when they came; they
 * are as trusted as the station's database beside them.
 */
export class ListCache {
  constructor(private readonly dir: string) {}

  private file(kind: ListKind): string {
    return join(this.dir, `${kind}.bin`);
  }

  load(): CachedLists {
    const store = new ListStore();
    const kinds: ListKind[] = [];
    const skipped: CachedLists['skipped'] = [];
    for (const kind of LIST_KINDS) {
      const path = this.file(kind);
      if (!existsSync(path)) continue;
      const d = decodeList(readFileSync(path));
      if (!d.ok) skipped.push({ kind, reason: `${d.error.code}: ${d.error.reason}` });
      else if (d.value.type !== 'full' || d.value.index.kind !== kind)
        skipped.push({ kind, reason: 'not a full list of this kind' });
      else {
        store.setFull(d.value.index);
        kinds.push(kind);
      }
    }
    return { store, kinds, skipped };
  }

  /** Keeps each of `kinds`: written beside, flushed, then renamed over the last, so a crash leaves one whole file. */
  save(store: ListStore, kinds: readonly ListKind[]): void {
    mkdirSync(this.dir, { recursive: true });
    for (const kind of kinds) {
      const index = store.get(kind);
      if (!index) continue;
      const tmp = `${this.file(kind)}.tmp`;
      const fd = openSync(tmp, 'w');
      try {
        writeSync(fd, encodeFullList(index));
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, this.file(kind));
    }
  }
}
