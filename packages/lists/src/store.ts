import { err, ok, type Result } from '@tollpad/domain';
import { decodeList } from './binary-format';
import { applyDelta, type ListDelta } from './delta';
import { ListError } from './errors';
import type { ListKind } from './kinds';
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
}
