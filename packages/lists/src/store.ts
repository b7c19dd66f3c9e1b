import { err, ok, type Result, SPECIAL } from '@tollpad/domain';
import { decodeList } from './binary-format';
import { applyDelta, type ListDelta } from './delta';
import { ListError } from './errors';
import { LIST_KINDS, type ListKind } from './kinds';
import type { ListHit, StatusIndex } from './status-index';

/**
 * The lists in force, one per kind. Loading a full file replaces a kind; a delta applies only on top of
 * the version it was made from. Any refused file (bad checksum, gap, wrong kind) leaves the previous
 * version in force.
 */
export class ListStore {
  private readonly current = new Map<ListKind, StatusIndex>();

  get(kind: ListKind): StatusIndex | undefined {
    return this.current.get(kind);
  }

  versions(): Partial<Record<ListKind, string>> {
    return Object.fromEntries([...this.current].map(([k, v]) => [k, v.version]));
  }

  setFull(index: StatusIndex): void {
    this.current.set(index.kind, index);
  }

  applyDelta(delta: ListDelta): Result<StatusIndex, ListError> {
    const base = this.current.get(delta.kind);
    if (!base) return err(new ListError('LIST_NOT_LOADED', 'kind', `尚未加载 ${delta.kind} 全量名单`));
    const r = applyDelta(base, delta);
    if (r.ok) this.current.set(delta.kind, r.value);
    return r;
  }

  /** Merges a kind's delta overlay into one sorted run (e.g. off-peak); the version does not change. */
  compact(kind: ListKind): void {
    const idx = this.current.get(kind);
    if (idx?.overlay) this.current.set(kind, idx.materialize());
  }

  /** Loads a full or delta file from bytes. */
  loadFile(bytes: Uint8Array): Result<StatusIndex, ListError> {
    const d = decodeList(bytes);
    if (!d.ok) return d;
    if (d.value.type === 'full') {
      this.setFull(d.value.index);
      return ok(d.value.index);
    }
    return this.applyDelta(d.value.delta);
  }

  lookup(kind: ListKind, key: string): ListHit | null {
    return this.current.get(kind)?.lookup(key) ?? null;
  }

  /**
   * 【读卡】 check: every list hit for a card, an OBU and a vehicle at once, with the special code a hit
   * puts on the record (24 card, 6 OBU, 118 追缴 [S: TCS]; green/emergency lists are facts, not specials)
   * and the versions consulted, so the record can say which lists it used.
   */
  check(q: { card?: string; obu?: string; vehicleId?: string }): ListCheck {
    const hits: (ListHit & { special?: number })[] = [];
    const consulted: Partial<Record<ListKind, string>> = {};
    const ask = (kind: ListKind, key: string | undefined, special?: number) => {
      const idx = this.current.get(kind);
      if (key === undefined || !idx) return;
      consulted[kind] = idx.version;
      const hit = idx.lookup(key);
      if (hit) hits.push(special !== undefined ? { ...hit, special } : hit);
    };
    ask('card', q.card, 24);
    ask('obu', q.obu, 6);
    ask('vehicle-chase', q.vehicleId, SPECIAL.VEHICLE_ON_CHASE_LIST);
    ask('vehicle-green', q.vehicleId);
    ask('vehicle-emergency', q.vehicleId);
    ask('vehicle-green-ban', q.vehicleId);
    const missing = LIST_KINDS.filter((k) => !this.current.has(k));
    return { hits, blocked: hits.some((h) => h.special !== undefined), consulted, missing };
  }
}

export interface ListCheck {
  readonly hits: readonly (ListHit & { readonly special?: number })[];
  /** A card/OBU status-list or chase-list hit: no ETC deduction without authorisation (§4 [P]). */
  readonly blocked: boolean;
  /** Versions of the lists that answered. */
  readonly consulted: Partial<Record<ListKind, string>>;
  /** Kinds with no list loaded (the caller may show 状态名单故障). */
  readonly missing: readonly ListKind[];
}
