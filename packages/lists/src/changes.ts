import { err, type Result } from '@tollpad/domain';
import { type ListDelta, makeDelta } from './delta';
import { ListError } from './errors';
import { encodeKey } from './keys';
import type { StatusIndex } from './status-index';

/** One issuer change to a list: add (or change the type of) an entry, or withdraw it. */
export interface ListChangeEntry {
  readonly key: string;
  /** Status type code 1–255; ignored for 'remove'. */
  readonly type: number;
  readonly action: 'add' | 'remove';
}

/**
 * The delta that applies `changes` (in order, a later change to the same key wins) to the list in force.
 * A remove is kept when the key is in force anywhere, base run or delta overlay: an entry a delta added
 * must be withdrawable by the next delta.
 */
export function deltaFromChanges(
  base: StatusIndex,
  toVersion: string,
  changes: Iterable<ListChangeEntry>,
): Result<ListDelta, ListError> {
  const last = new Map<string, ListChangeEntry>();
  for (const c of changes) last.set(c.key, c);
  const ups: { hi: number[]; lo: number[]; types: number[] } = { hi: [], lo: [], types: [] };
  const rms: { hi: number[]; lo: number[] } = { hi: [], lo: [] };
  const k = new Uint32Array(2);
  for (const c of last.values()) {
    if (!encodeKey(base.kind, c.key, k)) {
      return err(new ListError('LIST_KEY', 'key', `名单键格式错误：${c.key}`));
    }
    if (c.action === 'add') {
      ups.hi.push(k[0]!);
      ups.lo.push(k[1]!);
      ups.types.push(c.type);
    } else if (base.typeOf(k[0]!, k[1]!) !== 0) {
      rms.hi.push(k[0]!);
      rms.lo.push(k[1]!);
    }
  }
  return makeDelta(
    base.kind,
    base.version,
    toVersion,
    { hi: Uint32Array.from(ups.hi), lo: Uint32Array.from(ups.lo), types: Uint8Array.from(ups.types) },
    { hi: Uint32Array.from(rms.hi), lo: Uint32Array.from(rms.lo) },
    base.label,
  );
}
