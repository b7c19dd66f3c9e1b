import {
  applyDelta,
  buildIndex,
  decodeList,
  deltaFromChanges,
  encodeDeltaList,
  encodeFullList,
  LIST_KINDS,
  type ListDelta,
  type ListHit,
  type ListKind,
  type StatusIndex,
} from '@tollpad/lists';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { CentreError } from '../errors';
import { ListsRepository, type ListVersionRow } from '../repositories/lists.repository';
import type { RejectionsRepository } from '../repositories/rejections.repository';
import { checkUpstreamFile, invalidChange, type ListChange, type ListRefusal } from './list-input';
import {
  DEFAULT_LISTS_POLICY,
  deltaChain,
  type ListsPolicy,
  type ListVersionInfo,
  nextVersionLabel,
  toBytes,
  versionInfo,
} from './list-versions';
import type { Publisher } from './publisher';

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
  private readonly repo: ListsRepository;

  constructor(
    db: Kysely<Database>,
    private readonly rejections: RejectionsRepository,
    private readonly now: () => Date,
    private readonly publisher: Publisher,
    private readonly policy: ListsPolicy = DEFAULT_LISTS_POLICY,
  ) {
    this.repo = new ListsRepository(db);
  }

  /** Rebuilds the lists in force from the latest full version of each kind and the deltas after it. */
  async load(): Promise<void> {
    for (const kind of LIST_KINDS) {
      const full = await this.repo.latestFull(kind);
      if (!full) continue;
      const d = decodeList(toBytes(full.payload));
      if (!d.ok || d.value.type !== 'full')
        throw new Error(`stored full list ${kind} ${full.version} is corrupt`);
      let index = d.value.index;
      let count = 0;
      for (const row of await this.repo.deltasSince(kind, full.created_at)) {
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

  /** Every version of `kind`, or the delta chain after `since`. */
  async versions(kind: ListKind, since?: string): Promise<ListVersionInfo[]> {
    const all = (await this.repo.all(kind)).map(versionInfo);
    return since === undefined ? all : deltaChain(all, since);
  }

  /** A stored file with the publisher's signature (a row stored before signing is signed now). */
  async file(
    kind: ListKind,
    type: 'full' | 'delta',
    version: string | 'latest',
  ): Promise<{ version: string; bytes: Uint8Array; signature: string }> {
    const row = await this.repo.file(kind, type, version);
    if (!row) throw new CentreError('CTR_ERR_LIST_VERSION_NOT_FOUND', `${kind} ${type} ${version}`);
    const bytes = toBytes(row.payload);
    if (row.signature !== null) return { version: row.version, bytes, signature: row.signature };
    const signature = this.sign(kind, type, row.version, row.created_at, bytes);
    await this.repo.setSignature(kind, type, row.version, signature);
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
    const invalid = invalidChange(kind, changes);
    if (invalid !== null) {
      const id = await this.rejections.keep(
        { kind: 'list', code: 'CTR_ERR_LIST_INVALID', ref: kind, detail: invalid, body: changes },
        this.now(),
      );
      throw new CentreError('CTR_ERR_LIST_INVALID', invalid, { rejectionId: id });
    }
    if (changes.length === 0) return { queued: 0 };
    await this.repo.queue(
      kind,
      changes.map((c) => ({
        key: c.key,
        type: c.action === 'remove' ? 0 : c.type,
        action: c.action,
        issuer: c.issuer ?? '',
      })),
      this.now().toISOString(),
    );
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
    const pending = await this.repo.queued(kind);
    if (pending.length === 0) return null;
    // Later changes to the same key win; a remove withdraws the key wherever it is in force.
    const delta = deltaFromChanges(base, this.nextVersion(kind), pending);
    if (!delta.ok) throw new CentreError('CTR_ERR_LIST_INVALID', delta.error.reason);
    return this.storeDelta(delta.value, 'local', pending.at(-1)!.id);
  }

  /** An upstream binary file (full or delta) for `kind`: checked, applied, kept; refused input is kept too. */
  async ingestFile(kind: ListKind, bytes: Uint8Array): Promise<ListVersionInfo> {
    const f = checkUpstreamFile(kind, bytes, this.current.get(kind));
    if (!f.ok) throw await this.refuseFile(f, bytes);
    return f.type === 'full' ? this.storeFull(f.index, 'upstream') : this.storeDelta(f.delta, 'upstream');
  }

  private async refuseFile(r: ListRefusal, bytes: Uint8Array): Promise<CentreError> {
    const id = await this.rejections.keep(
      {
        kind: 'list',
        code: r.code,
        ref: r.ref,
        detail: r.detail,
        body: Buffer.from(bytes).toString('base64'),
      },
      this.now(),
    );
    return new CentreError(r.code, r.detail, { rejectionId: id });
  }

  /** The next version label: the current 5-minute slot, or one slot after the version in force. */
  nextVersion(kind: ListKind): string {
    return nextVersionLabel(this.now(), this.policy.deltaMinutes, this.current.get(kind)?.version);
  }

  private async storeFull(index: StatusIndex, source: string): Promise<ListVersionInfo> {
    const bytes = encodeFullList(index);
    const createdAt = this.now().toISOString();
    const row: ListVersionRow = {
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
    await this.repo.insertFull(row);
    this.current.set(index.kind, index);
    this.deltasSinceFull.set(index.kind, 0);
    return versionInfo(row);
  }

  /** Publishes a delta onto the list in force; `consumedUpTo` names the queued changes it was cut from. */
  private async storeDelta(
    delta: ListDelta,
    source: string,
    consumedUpTo?: number,
  ): Promise<ListVersionInfo> {
    const base = this.current.get(delta.kind)!;
    const next = applyDelta(base, delta);
    if (!next.ok) throw new CentreError('CTR_ERR_LIST_VERSION_GAP', next.error.reason);
    const bytes = encodeDeltaList(delta);
    const createdAt = this.now().toISOString();
    const row: ListVersionRow = {
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
    await this.repo.insertDelta(row, consumedUpTo);
    this.current.set(delta.kind, next.value);
    const n = (this.deltasSinceFull.get(delta.kind) ?? 0) + 1;
    this.deltasSinceFull.set(delta.kind, n);
    if (n >= this.policy.fullEveryDeltas) await this.storeFull(next.value, 'local');
    return versionInfo(row);
  }
}
