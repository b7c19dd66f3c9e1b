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

/** What a restart found of the lists. */
export interface CachedLists {
  store: ListStore;
  kinds: ListKind[];
  /** Files that were there but could not be taken (damaged, another kind): the sync fetches those afresh. */
  skipped: { kind: ListKind; reason: string }[];
}

/** The centre's tariff as last taken: its file as published and the activation its signature carried. */
export interface CachedTariff {
  version: string;
  activateAt: string | undefined;
  text: string;
}

/**
 * The tariff and the status lists last taken from the centre, kept on the station's disk: `<kind>.bin` (the
 * lists' own binary format with its CRC) and `tariff.json`. Without them a restarted station served with no
 * blacklist, no green-channel ban and its local tariff until its first sync came back: a SIGKILL or a power
 * cut while the centre is unreachable let a blacklisted card or a banned plate through. The files were checked
 * (signature, checksum, chain) when they came; they are as trusted as the station's database beside them.
 */
export class ReferenceCache {
  constructor(private readonly dir: string) {}

  private file(name: string): string {
    return join(this.dir, name);
  }

  loadLists(): CachedLists {
    const store = new ListStore();
    const kinds: ListKind[] = [];
    const skipped: CachedLists['skipped'] = [];
    for (const kind of LIST_KINDS) {
      const path = this.file(`${kind}.bin`);
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

  /** Keeps each of `kinds` of `store`. */
  saveLists(store: ListStore, kinds: readonly ListKind[]): void {
    for (const kind of kinds) {
      const index = store.get(kind);
      if (index) this.write(`${kind}.bin`, encodeFullList(index));
    }
  }

  /** The tariff last taken; undefined when none was kept. A file that does not parse is an error. */
  loadTariff(): CachedTariff | undefined {
    const path = this.file('tariff.json');
    if (!existsSync(path)) return undefined;
    const t = JSON.parse(readFileSync(path, 'utf8')) as Partial<CachedTariff>;
    if (typeof t.version !== 'string' || typeof t.text !== 'string')
      throw new Error('tariff.json: not a tariff');
    return {
      version: t.version,
      text: t.text,
      activateAt: typeof t.activateAt === 'string' ? t.activateAt : undefined,
    };
  }

  saveTariff(t: CachedTariff): void {
    this.write('tariff.json', new TextEncoder().encode(JSON.stringify(t)));
  }

  /** Written beside, flushed, then renamed over the last: a crash leaves one whole file. */
  private write(name: string, bytes: Uint8Array): void {
    mkdirSync(this.dir, { recursive: true });
    const tmp = this.file(`${name}.tmp`);
    const fd = openSync(tmp, 'w');
    try {
      writeSync(fd, bytes);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.file(name));
  }
}
