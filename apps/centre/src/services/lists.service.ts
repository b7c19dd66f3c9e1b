import { beijingCompact } from '@tollpad/domain';
import {
  applyDelta,
  buildIndex,
  decodeList,
  deltaFromChanges,
  encodeDeltaList,
  encodeFullList,
  encodeKey,
  LIST_KINDS,
  LIST_TYPES,
  type ListDelta,
  type ListHit,
  type ListKind,
  type StatusIndex,
} from '@tollpad/lists';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { CentreError } from '../errors';
import type { RejectionsRepository } from '../repositories/rejections.repository';
import type { Publisher } from './publisher';

export interface ListVersionInfo {
  version: string;
  type: 'full' | 'delta';
  baseVersion: string | null;
  entryCount: number;
  added: number;
  removed: number;
  source: string;
  bytes: number;
  createdAt: string;
}

export interface ListChange {
  key: string;
  /** Status type code (business-rules §4); ignored for 'remove'. */
  type: number;
  action: 'add' | 'remove';
  issuer?: string;
}

export interface ListsPolicy {
  /** [S] Card/OBU increments every 5 min, version = minute timestamp ending in 0 or 5 (business-rules §4). */
  deltaMinutes: number;
  /** [P] After this many deltas since the last full version, a full version is published too (288 = daily). */
  fullEveryDeltas: number;
}

export const DEFAULT_LISTS_POLICY: ListsPolicy = { deltaMinutes: 5, fullEveryDeltas: 288 };

export function isListKind(k: string): k is ListKind {
  return (LIST_KINDS as readonly string[]).includes(k);
}

/**
 * Status-list publication. The list in force per kind is a compact @tollpad/lists StatusIndex in memory;
 * every published version (full or delta) is kept as its binary file in list_versions, so a lane can
 * fetch a full version and then the chain of deltas after it. Deltas come from two places: changes
 * submitted here and cut every `deltaMinutes` (local), or binary deltas posted by an upstream (ministry)
 * feed, which must start at the version in force — a gap is refused and kept.
 */
export class ListsService {
  private readonly current = new Map<ListKind, StatusIndex>();
  private readonly deltasSinceFull = new Map<ListKind, number>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly rejections: RejectionsRepository,
    private readonly now: () => Date,
    private readonly publisher: Publisher,
    private readonly policy: ListsPolicy = DEFAULT_LISTS_POLICY,
  ) {}

  /** Rebuilds the lists in force from the latest full version of each kind and the deltas after it. */
  async load(): Promise<void> {
    for (const kind of LIST_KINDS) {
      const full = await this.db
        .selectFrom('list_versions')
        .select(['version', 'payload', 'created_at'])
        .where('list_kind', '=', kind)
        .where('type', '=', 'full')
        .orderBy('created_at', 'desc')
        .orderBy('version', 'desc')
        .executeTakeFirst();
      if (!full) continue;
      const d = decodeList(toBytes(full.payload));
      if (!d.ok || d.value.type !== 'full')
        throw new Error(`stored full list ${kind} ${full.version} is corrupt`);
      let index = d.value.index;
      const deltas = await this.db
        .selectFrom('list_versions')
        .select(['version', 'base_version', 'payload'])
        .where('list_kind', '=', kind)
        .where('type', '=', 'delta')
        .where('created_at', '>=', full.created_at)
        .orderBy('created_at')
        .execute();
      let count = 0;
      for (const row of deltas) {
        if (row.base_version !== index.version) continue;
        const dd = decodeList(toBytes(row.payload));
        if (!dd.ok || dd.value.type !== 'delta')
          throw new Error(`stored delta ${kind} ${row.version} is corrupt`);
        const next = applyDelta(index, dd.value.delta);
        if (!next.ok) throw new Error(`stored delta ${kind} ${row.version}: ${next.error.reason}`);
        index = next.value;
        count++;
      }
      this.current.set(kind, index);
      this.deltasSinceFull.set(kind, count);
    }
  }

  summary(kind: ListKind): { kind: ListKind; version: string | null; count: number } {
    const idx = this.current.get(kind);
    return { kind, version: idx?.version ?? null, count: idx?.count ?? 0 };
  }

  versionsInForce(): Partial<Record<ListKind, string>> {
    return Object.fromEntries([...this.current].map(([k, v]) => [k, v.version]));
  }

  lookup(kind: ListKind, key: string): ListHit | null {
    return this.current.get(kind)?.lookup(key) ?? null;
  }

  async versions(kind: ListKind, since?: string): Promise<ListVersionInfo[]> {
    const rows = await this.db
      .selectFrom('list_versions')
      .select([
        'version',
        'type',
        'base_version',
        'entry_count',
        'added',
        'removed',
        'source',
        'payload',
        'created_at',
      ])
      .where('list_kind', '=', kind)
      .orderBy('created_at')
      .orderBy('type', 'desc')
      .execute();
    const all = rows.map((r) => ({
      version: r.version,
      type: r.type === 'full' ? ('full' as const) : ('delta' as const),
      baseVersion: r.base_version,
      entryCount: r.entry_count,
      added: r.added,
      removed: r.removed,
      source: r.source,
      bytes: toBytes(r.payload).length,
      createdAt: r.created_at,
    }));
    if (since === undefined) return all;
    // The delta chain after `since`: follow base → version links.
    const chain: ListVersionInfo[] = [];
    let at = since;
    for (const v of all) {
      if (v.type === 'delta' && v.baseVersion === at) {
        chain.push(v);
        at = v.version;
      }
    }
    return chain;
  }

  /** A stored file with the publisher's signature (a row stored before signing is signed now). */
  async file(
    kind: ListKind,
    type: 'full' | 'delta',
    version: string | 'latest',
  ): Promise<{ version: string; bytes: Uint8Array; signature: string }> {
    let q = this.db
      .selectFrom('list_versions')
      .select(['version', 'payload', 'signature', 'created_at'])
      .where('list_kind', '=', kind)
      .where('type', '=', type);
    q =
      version === 'latest'
        ? q.orderBy('created_at', 'desc').orderBy('version', 'desc')
        : q.where('version', '=', version);
    const row = await q.executeTakeFirst();
    if (!row) throw new CentreError('CTR_ERR_LIST_VERSION_NOT_FOUND', `${kind} ${type} ${version}`);
    const bytes = toBytes(row.payload);
    if (row.signature !== null) return { version: row.version, bytes, signature: row.signature };
    const signature = this.sign(kind, type, row.version, row.created_at, bytes);
    await this.db
      .updateTable('list_versions')
      .set({ signature })
      .where('list_kind', '=', kind)
      .where('type', '=', type)
      .where('version', '=', row.version)
      .execute();
    return { version: row.version, bytes, signature };
  }

  /** A list takes effect when published: its activation is its publication time. */
  private sign(kind: ListKind, type: 'full' | 'delta', version: string, at: string, bytes: Uint8Array) {
    return this.publisher.sign(
      { subject: `list/${kind}/${type}`, version, activateAt: at, publishedAt: at },
      bytes,
    );
  }

  /** Publishes a full version of the list in force (or of `entries`, replacing it: the seed/reset path). */
  async publishFull(
    kind: ListKind,
    opts: {
      entries?: { key: string; type: number }[];
      version?: string;
      label?: string;
      source?: string;
    } = {},
  ): Promise<ListVersionInfo> {
    let index = this.current.get(kind);
    if (opts.entries !== undefined) {
      const version = opts.version ?? this.nextVersion(kind);
      const built = buildIndex(kind, version, opts.entries, opts.label ?? '');
      if (!built.ok)
        throw new CentreError('CTR_ERR_LIST_INVALID', `${built.error.field}: ${built.error.reason}`);
      index = built.value;
    }
    if (!index) throw new CentreError('CTR_ERR_LIST_VERSION_NOT_FOUND', `${kind}: no list in force`);
    return this.storeFull(index, opts.source ?? 'local');
  }

  /** Publishes a ready index as a full version (seeding). */
  async publishIndex(index: StatusIndex, source: string): Promise<ListVersionInfo> {
    return this.storeFull(index, source);
  }

  /** Queues issuer changes for the next delta. */
  async submitChanges(kind: ListKind, changes: readonly ListChange[]): Promise<{ queued: number }> {
    const k = new Uint32Array(2);
    for (const [i, c] of changes.entries()) {
      const typeOk = c.action === 'remove' || (LIST_TYPES[kind].has(c.type) && c.type <= 255);
      if (!encodeKey(kind, c.key, k) || !typeOk) {
        const detail = `changes[${i}]: ${!typeOk ? `type ${c.type}` : `key ${c.key}`}`;
        const id = await this.rejections.keep(
          { kind: 'list', code: 'CTR_ERR_LIST_INVALID', ref: kind, detail, body: changes },
          this.now(),
        );
        throw new CentreError('CTR_ERR_LIST_INVALID', detail, { rejectionId: id });
      }
    }
    if (changes.length === 0) return { queued: 0 };
    const at = this.now().toISOString();
    await this.db
      .insertInto('list_pending')
      .values(
        changes.map((c) => ({
          list_kind: kind,
          entry_key: c.key,
          status_type: c.action === 'remove' ? 0 : c.type,
          issuer: c.issuer ?? '',
          action: c.action,
          submitted_at: at,
        })),
      )
      .execute();
    return { queued: changes.length };
  }

  /**
   * Cuts a delta from the queued changes (the 5-minute tick, or on demand). Returns null when nothing is
   * queued. The version is the current 5-minute slot in Beijing time (YYYYMMDDhhmm), or the next slot
   * after the version in force when that is already taken, so versions always increase.
   */
  async cutDelta(kind: ListKind): Promise<ListVersionInfo | null> {
    const base = this.current.get(kind);
    if (!base)
      throw new CentreError('CTR_ERR_LIST_VERSION_NOT_FOUND', `${kind}: publish a full version first`);
    const pending = await this.db
      .selectFrom('list_pending')
      .selectAll()
      .where('list_kind', '=', kind)
      .orderBy('id')
      .execute();
    if (pending.length === 0) return null;
    // Later changes to the same key win; a remove withdraws the key wherever it is in force.
    const delta = deltaFromChanges(
      base,
      this.nextVersion(kind),
      pending.map((p) => ({
        key: p.entry_key,
        type: p.status_type,
        action: p.action === 'add' ? ('add' as const) : ('remove' as const),
      })),
    );
    if (!delta.ok) throw new CentreError('CTR_ERR_LIST_INVALID', delta.error.reason);
    const maxId = pending.at(-1)!.id;
    const info = await this.storeDelta(delta.value, 'local', async (trx) => {
      await trx.deleteFrom('list_pending').where('list_kind', '=', kind).where('id', '<=', maxId).execute();
    });
    return info;
  }

  /** An upstream binary file (full or delta) for `kind`: checked, applied, kept; refused input is kept too. */
  async ingestFile(kind: ListKind, bytes: Uint8Array): Promise<ListVersionInfo> {
    const refuse = async (
      code: 'CTR_ERR_LIST_INVALID' | 'CTR_ERR_LIST_VERSION_GAP',
      detail: string,
      ref: string,
    ) => {
      const id = await this.rejections.keep(
        { kind: 'list', code, ref, detail, body: Buffer.from(bytes).toString('base64') },
        this.now(),
      );
      return new CentreError(code, detail, { rejectionId: id });
    };
    const d = decodeList(bytes);
    if (!d.ok) throw await refuse('CTR_ERR_LIST_INVALID', `${d.error.field}: ${d.error.reason}`, kind);
    if (d.value.type === 'full') {
      const idx = d.value.index;
      if (idx.kind !== kind) throw await refuse('CTR_ERR_LIST_INVALID', `file kind ${idx.kind}`, kind);
      const cur = this.current.get(kind);
      if (cur && !isNewer(idx.version, cur.version)) {
        throw await refuse(
          'CTR_ERR_LIST_INVALID',
          `full version ${idx.version} not after ${cur.version}`,
          `${kind}:${idx.version}`,
        );
      }
      return this.storeFull(idx, 'upstream');
    }
    const delta = d.value.delta;
    if (delta.kind !== kind) throw await refuse('CTR_ERR_LIST_INVALID', `file kind ${delta.kind}`, kind);
    const cur = this.current.get(kind);
    if (!cur || delta.fromVersion !== cur.version) {
      throw await refuse(
        'CTR_ERR_LIST_VERSION_GAP',
        `delta ${delta.fromVersion}→${delta.toVersion}, version in force ${cur?.version ?? '(none)'}`,
        `${kind}:${delta.toVersion}`,
      );
    }
    if (!isNewer(delta.toVersion, cur.version)) {
      throw await refuse(
        'CTR_ERR_LIST_INVALID',
        `delta to ${delta.toVersion} not after ${cur.version}`,
        `${kind}:${delta.toVersion}`,
      );
    }
    return this.storeDelta(delta, 'upstream');
  }

  /** The next version label: the current 5-minute slot, or one slot after the version in force. */
  nextVersion(kind: ListKind): string {
    const step = this.policy.deltaMinutes * 60_000;
    let slot = Math.floor(this.now().getTime() / step) * step;
    const cur = this.current.get(kind)?.version;
    const label = (ms: number) => beijingCompact(new Date(ms)).slice(0, 12);
    while (cur !== undefined && !isNewer(label(slot), cur)) slot += step;
    return label(slot);
  }

  private async storeFull(index: StatusIndex, source: string): Promise<ListVersionInfo> {
    const bytes = encodeFullList(index);
    const createdAt = this.now().toISOString();
    const row = {
      list_kind: index.kind,
      version: index.version,
      type: 'full',
      base_version: null,
      entry_count: index.count,
      added: 0,
      removed: 0,
      source,
      payload: bytes,
      created_at: createdAt,
      signature: this.sign(index.kind, 'full', index.version, createdAt, bytes),
    };
    await this.db
      .insertInto('list_versions')
      .values(row)
      .onConflict((oc) => oc.columns(['list_kind', 'type', 'version']).doNothing())
      .execute();
    this.current.set(index.kind, index);
    this.deltasSinceFull.set(index.kind, 0);
    return info(row);
  }

  private async storeDelta(
    delta: ListDelta,
    source: string,
    inTx?: (trx: Kysely<Database>) => Promise<void>,
  ): Promise<ListVersionInfo> {
    const base = this.current.get(delta.kind)!;
    const next = applyDelta(base, delta);
    if (!next.ok) throw new CentreError('CTR_ERR_LIST_VERSION_GAP', next.error.reason);
    const bytes = encodeDeltaList(delta);
    const createdAt = this.now().toISOString();
    const row = {
      list_kind: delta.kind,
      version: delta.toVersion,
      type: 'delta',
      base_version: delta.fromVersion,
      entry_count: next.value.count,
      added: delta.upHi.length,
      removed: delta.rmHi.length,
      source,
      payload: bytes,
      created_at: createdAt,
      signature: this.sign(delta.kind, 'delta', delta.toVersion, createdAt, bytes),
    };
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('list_versions').values(row).execute();
      if (inTx) await inTx(trx);
    });
    this.current.set(delta.kind, next.value);
    const n = (this.deltasSinceFull.get(delta.kind) ?? 0) + 1;
    this.deltasSinceFull.set(delta.kind, n);
    if (n >= this.policy.fullEveryDeltas) await this.storeFull(next.value, 'local');
    return info(row);
  }
}

/** Versions of equal length compare as text (timestamps); otherwise any different label counts as newer. */
function isNewer(a: string, b: string): boolean {
  return a.length === b.length ? a > b : a !== b;
}

function toBytes(p: Uint8Array): Uint8Array {
  // Node Buffers from the drivers may be pooled slices; the list decoder copies when unaligned.
  return p instanceof Uint8Array ? p : new Uint8Array(p);
}

function info(
  r: Omit<Database['list_versions'], 'payload' | 'signature'> & { payload: Uint8Array },
): ListVersionInfo {
  return {
    version: r.version,
    type: r.type === 'full' ? 'full' : 'delta',
    baseVersion: r.base_version,
    entryCount: r.entry_count,
    added: r.added,
    removed: r.removed,
    source: r.source,
    bytes: r.payload.length,
    createdAt: r.created_at,
  };
}
