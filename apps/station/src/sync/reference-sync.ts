import { createHash } from 'node:crypto';
import { decodeList, LIST_KINDS, type ListKind, ListStore } from '@tollpad/lists';
import { loadTariff } from '@tollpad/tariff';
import type { SchemeKey } from '@tollpad/tariff/publication';
import { statusListsFromStore } from '../ports/status-lists';
import type { ReferenceService, TariffInForce } from '../services/reference.service';
import { tariffFromNetwork } from '../services/reference.service';
import { type CentreHttp, SyncFailure } from './centre-http';
import { checkPublication } from './publication-check';
import type { ReferenceCache } from './reference-cache';

export interface SyncLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface SyncError {
  code: string;
  reason: string;
  at: string;
}

export interface SyncStatus {
  lastRunAt: string | null;
  lastSuccessAt: string | null;
  swaps: number;
  /** `cache`: the version last taken from the centre, restored from the station's disk at start. */
  tariff: { version: string; source: 'local' | 'cache' | 'centre'; error: SyncError | null };
  lists: Record<
    string,
    { version: string | null; source: 'local' | 'cache' | 'centre'; error: SyncError | null }
  >;
}

export interface ReferenceSyncOptions {
  reference: ReferenceService;
  http: CentreHttp;
  /** The publisher keys tariff and list files must be signed with (CENTRE_PUBLISHER_KEY_FILE). */
  publishers: readonly SchemeKey[];
  /** How often versions are polled. [P] 60 s: well inside the centre's 5-minute list slot. */
  intervalMs: number;
  /** After a failed run (centre unreachable, refused file) the next run comes sooner. [P] 5 s */
  retryMs?: number;
  /**
   * Kinds polled less often than every run: such a kind is asked again only once this long has passed since
   * it was last brought up to date (a kind not yet held, or whose last run failed, is asked every run).
   * Default: the green-channel lists every 10 min (business-rules §4 "Green list every 10 min" [S]).
   */
  kindIntervalMs?: Partial<Record<ListKind, number>>;
  /** Where the tariff and lists taken from the centre are kept across restarts (reference-cache.ts). */
  cache?: ReferenceCache;
  now?: () => Date;
  log?: SyncLog;
}

interface TariffListing {
  versions: { version: string; sha256: string }[];
  current: string | null;
}
interface ListVersionInfo {
  version: string;
  type: 'full' | 'delta';
  baseVersion: string | null;
}

const SILENT: SyncLog = { info() {}, warn() {} };

/** business-rules §4: the green list is polled every 10 min (the appointment list and its ban list). */
export const DEFAULT_KIND_INTERVAL_MS: Partial<Record<ListKind, number>> = {
  'vehicle-green': 600_000,
  'vehicle-green-ban': 600_000,
};

/**
 * Centre → station sync of the tariff and the status lists. Each run: the tariff in force at the centre
 * (checked against its published sha256 and its own header version), then per list kind the latest full
 * file when none is held, then the delta chain from the version held. Every file must carry the
 * publisher's signature and an activation neither back-dated nor older than the version in force
 * (publication-check.ts), and is verified by @tollpad/lists (CRC, kind, from-version = version held); a
 * refused file leaves the previous version in force. Changes are built into a new store and swapped into the ReferenceService in one step, so an exit
 * sees the old versions or the new ones, never a mix.
 */
export class ReferenceSync {
  private store: ListStore | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private started = false;
  private running: Promise<boolean> | undefined;
  private readonly now: () => Date;
  private readonly log: SyncLog;
  /** Activation of the centre tariff in force (signed); none while the local tariff is in force. */
  private tariffActivateAt: string | undefined;
  /** When each kind was last brought up to date (ms), for kinds with their own interval. */
  private readonly kindSyncedAt = new Map<ListKind, number>();
  /** Kinds restored from the cache whose version the centre has not yet been seen to know. */
  private readonly unconfirmed = new Set<ListKind>();
  /** The tariff in force was restored from the cache and the centre has not answered since. */
  private tariffUnconfirmed = false;
  readonly status: SyncStatus;

  constructor(private readonly opts: ReferenceSyncOptions) {
    this.now = opts.now ?? (() => new Date());
    this.log = opts.log ?? SILENT;
    const v = opts.reference.versions();
    this.status = {
      lastRunAt: null,
      lastSuccessAt: null,
      swaps: 0,
      tariff: { version: v.tariff.version, source: 'local', error: null },
      lists: Object.fromEntries(LIST_KINDS.map((k) => [k, { version: null, source: 'local', error: null }])),
    };
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.schedule();
  }

  /**
   * Puts the tariff and the lists kept at the last sync in force before the first sync runs, so a restart with
   * the centre out of reach still prices by the centre's tariff and refuses a blacklisted card or a banned
   * plate. True when anything was restored.
   */
  async restore(): Promise<boolean> {
    const cache = this.opts.cache;
    if (!cache) return false;
    const snap = this.opts.reference.snapshot;
    const at = this.now().toISOString();
    let tariff = snap.tariff;
    try {
      const t = cache.loadTariff();
      const r = t ? loadTariff(t.text) : undefined;
      if (t && r?.ok && r.value.version === t.version) {
        tariff = tariffFromNetwork(r.value, at);
        this.tariffActivateAt = t.activateAt;
        this.tariffUnconfirmed = true;
        this.status.tariff = { version: t.version, source: 'cache', error: null };
      } else if (t)
        this.log.warn({ version: t.version }, 'reference cache: tariff not taken, the sync fetches it');
    } catch (e) {
      this.log.warn({ err: String(e) }, 'reference cache: tariff not readable, the sync fetches it');
    }
    let cached: ReturnType<ReferenceCache['loadLists']> | undefined;
    try {
      cached = cache.loadLists();
      for (const s of cached.skipped)
        this.log.warn(s, 'reference cache: list not taken, the sync fetches it afresh');
    } catch (e) {
      this.log.warn({ err: String(e) }, 'reference cache: lists not readable, the sync fetches them');
    }
    const lists = cached && cached.kinds.length > 0 ? cached : undefined;
    if (tariff === snap.tariff && !lists) return false;
    await this.opts.reference.swap(
      {
        tariff,
        lists: lists ? statusListsFromStore(lists.store) : snap.lists,
        listsLoadedAt: lists ? at : snap.listsLoadedAt,
      },
      'reference-cache',
    );
    if (lists) {
      this.store = lists.store;
      for (const kind of lists.kinds) {
        this.unconfirmed.add(kind);
        Object.assign(this.status.lists[kind]!, {
          version: lists.store.get(kind)?.version ?? null,
          source: 'cache',
        });
      }
    }
    this.log.info({ versions: this.opts.reference.versions() }, 'reference cache: the last sync in force');
    return true;
  }

  stop(): Promise<unknown> {
    this.started = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    return this.running ?? Promise.resolve();
  }

  private schedule(): void {
    if (!this.started) return;
    const failed = this.status.lastRunAt !== null && this.status.lastSuccessAt !== this.status.lastRunAt;
    const ms = failed ? Math.min(this.opts.retryMs ?? 5_000, this.opts.intervalMs) : this.opts.intervalMs;
    this.timer = setTimeout(() => {
      void this.syncOnce().finally(() => this.schedule());
    }, ms);
    this.timer.unref?.();
  }

  /** One sync run (concurrent calls share it); true when new versions were swapped in. */
  syncOnce(): Promise<boolean> {
    this.running ??= this.run().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async run(): Promise<boolean> {
    const at = this.now().toISOString();
    this.status.lastRunAt = at;
    const snap = this.opts.reference.snapshot;
    let failed = false;

    let tariff: TariffInForce = snap.tariff;
    try {
      const next = await this.fetchTariff(snap.tariff.version, at);
      if (next) tariff = next;
      this.tariffUnconfirmed = false;
      this.status.tariff = { version: tariff.version, source: 'centre', error: null };
    } catch (e) {
      failed = true;
      this.status.tariff.error = toError(e, at);
      this.log.warn({ err: this.status.tariff.error }, 'reference sync: tariff not updated');
    }

    const lists = new ListStore();
    for (const k of LIST_KINDS) {
      const idx = this.store?.get(k);
      if (idx) lists.setFull(idx);
    }
    const changedKinds: ListKind[] = [];
    const nowMs = this.now().getTime();
    for (const kind of LIST_KINDS) {
      const entry = this.status.lists[kind]!;
      if (this.notDue(kind, nowMs, lists)) continue;
      try {
        if (await this.syncKind(lists, kind)) changedKinds.push(kind);
        this.unconfirmed.delete(kind);
        entry.error = null;
        this.kindSyncedAt.set(kind, nowMs);
      } catch (e) {
        failed = true;
        entry.error = toError(e, at);
        this.log.warn(
          { kind, err: entry.error },
          'reference sync: list not updated, previous version in force',
        );
      }
      const v = lists.get(kind)?.version ?? null;
      // A kind restored from the cache stays `cache` until the centre has answered for it.
      if (v && entry.error === null) Object.assign(entry, { version: v, source: 'centre' });
    }

    const listsChanged = changedKinds.length > 0;
    const changed = tariff !== snap.tariff || listsChanged;
    if (changed) {
      await this.opts.reference.swap(
        {
          tariff,
          lists: listsChanged ? statusListsFromStore(lists) : snap.lists,
          listsLoadedAt: listsChanged ? at : snap.listsLoadedAt,
        },
        'centre-sync',
      );
      if (listsChanged) {
        this.store = lists;
        this.keep(() => this.opts.cache?.saveLists(lists, changedKinds));
      }
      this.status.swaps++;
      this.log.info({ versions: this.opts.reference.versions() }, 'reference sync: new versions in force');
    }
    if (!failed) this.status.lastSuccessAt = at;
    return changed;
  }

  /** Writes to the cache; a failure is logged, what was taken stays in force in memory. */
  private keep(write: () => void): void {
    try {
      write();
    } catch (e) {
      this.log.warn({ err: String(e) }, 'reference cache: not written, a restart waits for the centre');
    }
  }

  /** A kind with its own interval, held and up to date less than that interval ago, waits. */
  private notDue(kind: ListKind, nowMs: number, lists: ListStore): boolean {
    const every = (this.opts.kindIntervalMs ?? DEFAULT_KIND_INTERVAL_MS)[kind];
    const at = this.kindSyncedAt.get(kind);
    if (every === undefined || at === undefined || !lists.get(kind)) return false;
    return this.status.lists[kind]?.error === null && nowMs - at < every;
  }

  private async fetchTariff(held: string, at: string): Promise<TariffInForce | undefined> {
    const listing = await this.opts.http.json<TariffListing>('/tariffs');
    const current = listing.current;
    // A tariff restored from the cache that this centre never published does not bound what it publishes.
    if (this.tariffUnconfirmed && !listing.versions.some((v) => v.version === held))
      this.tariffActivateAt = undefined;
    if (!current || current === held) return undefined;
    const info = listing.versions.find((v) => v.version === current);
    if (!info) throw new SyncFailure('SYNC_TARIFF_INVALID', `版本${current}不在费率版本列表中`);
    const { text, headers } = await this.opts.http.text(`/tariffs/${encodeURIComponent(current)}`);
    if (createHash('sha256').update(text).digest('hex') !== info.sha256)
      throw new SyncFailure('SYNC_TARIFF_CHECKSUM', `费率文件${current}校验值不符`);
    const signed = checkPublication(this.opts.publishers, headers, new TextEncoder().encode(text), {
      subject: 'tariff',
      version: current,
      inForceActivateAt: this.tariffActivateAt,
    });
    const r = loadTariff(text);
    if (!r.ok) throw new SyncFailure('SYNC_TARIFF_INVALID', r.error[0]?.message ?? '费率文件无法加载');
    if (r.value.version !== current)
      throw new SyncFailure('SYNC_TARIFF_INVALID', `文件版本${r.value.version}≠${current}`);
    const next = tariffFromNetwork(r.value, at);
    this.tariffActivateAt = signed.activateAt;
    this.keep(() => this.opts.cache?.saveTariff({ version: current, activateAt: signed.activateAt, text }));
    return next;
  }

  /** Brings one kind up to date in `store`; true when its version changed. */
  private async syncKind(store: ListStore, kind: ListKind): Promise<boolean> {
    const before = store.get(kind)?.version;
    if (!before) await this.loadFull(store, kind);
    else if (this.unconfirmed.has(kind) && !(await this.centreKnows(kind, before))) {
      // A version restored from the cache that this centre never published (its history reset, another
      // centre): no delta chain starts from it, so the centre's latest full list replaces it.
      await this.loadFull(store, kind, 'latest', true);
    }
    try {
      await this.applyChain(store, kind);
    } catch (e) {
      // A refused delta: the version held stays. If the centre has a newer full file, re-base on it.
      if (!(e instanceof SyncFailure) || !e.code.startsWith('LIST_')) throw e;
      const rebased = await this.rebase(store, kind);
      if (!rebased) throw e;
      await this.applyChain(store, kind);
    }
    return store.get(kind)?.version !== before;
  }

  /** Whether the centre lists `version` among its published versions of `kind`. */
  private async centreKnows(kind: ListKind, version: string): Promise<boolean> {
    const all = await this.opts.http.json<{ versions: ListVersionInfo[] }>(`/lists/${kind}/versions`);
    return all.versions.some((v) => v.version === version);
  }

  /** `replacing`: the version held is not this centre's, so the full file need not be newer than it. */
  private async loadFull(
    store: ListStore,
    kind: ListKind,
    version = 'latest',
    replacing = false,
  ): Promise<void> {
    const { bytes, headers } = await this.opts.http.bytes(
      `/lists/${kind}/full/${encodeURIComponent(version)}`,
    );
    // The signature is checked before the file is parsed: unauthenticated bytes are not decoded.
    const signed = checkPublication(this.opts.publishers, headers, bytes, { subject: `list/${kind}/full` });
    const d = decodeList(bytes);
    if (!d.ok) throw new SyncFailure(d.error.code, d.error.reason);
    if (d.value.type !== 'full') throw new SyncFailure('LIST_FORMAT', '应为全量名单文件');
    if (d.value.index.kind !== kind) throw new SyncFailure('LIST_KIND', `应为${kind}名单`);
    const header = headers.get('x-list-version');
    if (header && header !== d.value.index.version)
      throw new SyncFailure('LIST_FORMAT', `文件版本${d.value.index.version}≠${header}`);
    const held = store.get(kind)?.version;
    if (held && !replacing && d.value.index.version <= held)
      throw new SyncFailure('LIST_VERSION_GAP', `全量版本${d.value.index.version}不新于${held}`);
    if (signed.version !== d.value.index.version)
      throw new SyncFailure(
        'SYNC_SIGNATURE_INVALID',
        `签名版本${signed.version}≠文件版本${d.value.index.version}`,
      );
    store.setFull(d.value.index);
  }

  private async applyChain(store: ListStore, kind: ListKind): Promise<void> {
    const held = store.get(kind)?.version;
    if (!held) return;
    const chain = await this.opts.http.json<{ versions: ListVersionInfo[] }>(
      `/lists/${kind}/versions?since=${encodeURIComponent(held)}`,
    );
    for (const v of chain.versions) {
      if (v.type !== 'delta') continue;
      const { bytes, headers } = await this.opts.http.bytes(
        `/lists/${kind}/deltas/${encodeURIComponent(v.version)}`,
      );
      checkPublication(this.opts.publishers, headers, bytes, {
        subject: `list/${kind}/delta`,
        version: v.version,
      });
      const d = decodeList(bytes);
      if (!d.ok) throw new SyncFailure(d.error.code, d.error.reason);
      if (d.value.type !== 'delta') throw new SyncFailure('LIST_FORMAT', '应为增量名单文件');
      if (d.value.delta.toVersion !== v.version)
        throw new SyncFailure('LIST_FORMAT', `增量版本${d.value.delta.toVersion}≠${v.version}`);
      if (d.value.delta.kind !== kind) throw new SyncFailure('LIST_KIND', `应为${kind}名单`);
      const r = store.applyDelta(d.value.delta);
      if (!r.ok) throw new SyncFailure(r.error.code, r.error.reason);
    }
  }

  private async rebase(store: ListStore, kind: ListKind): Promise<boolean> {
    const held = store.get(kind)?.version ?? '';
    const all = await this.opts.http.json<{ versions: ListVersionInfo[] }>(`/lists/${kind}/versions`);
    const newest = all.versions
      .filter((v) => v.type === 'full' && v.version > held)
      .map((v) => v.version)
      .sort()
      .at(-1);
    if (!newest) return false;
    await this.loadFull(store, kind, newest);
    return true;
  }
}

function toError(e: unknown, at: string): SyncError {
  if (e instanceof SyncFailure) return { code: e.code, reason: e.reason, at };
  return { code: 'SYNC_INTERNAL', reason: e instanceof Error ? e.message : String(e), at };
}

/** Runs a first sync (bounded by `firstSyncTimeoutMs`), then keeps polling. */
export async function startReferenceSync(
  opts: ReferenceSyncOptions & { firstSyncTimeoutMs?: number },
): Promise<ReferenceSync> {
  const sync = new ReferenceSync(opts);
  await sync.restore();
  const first = sync.syncOnce().catch(() => false);
  await Promise.race([first, new Promise((r) => setTimeout(r, opts.firstSyncTimeoutMs ?? 10_000).unref?.())]);
  sync.start();
  return sync;
}
