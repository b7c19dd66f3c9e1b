import { err, ok, type Result } from '@tollpad/domain';
import { ListError } from './errors';
import type { ListKind } from './kinds';
import { StatusIndex, sortKeys } from './status-index';

/**
 * An incremental list version: from-version → to-version, upserts (add or change type) and removes,
 * each sorted by key; a key is in at most one of the two.
 */
export interface ListDelta {
  readonly kind: ListKind;
  readonly fromVersion: string;
  readonly toVersion: string;
  readonly label: string;
  readonly upHi: Uint32Array;
  readonly upLo: Uint32Array;
  readonly upTypes: Uint8Array;
  readonly rmHi: Uint32Array;
  readonly rmLo: Uint32Array;
}

/** Builds a delta from unsorted upsert/remove key arrays (sorted and de-duplicated here). */
export function makeDelta(
  kind: ListKind,
  fromVersion: string,
  toVersion: string,
  ups: { hi: Uint32Array; lo: Uint32Array; types: Uint8Array },
  rms: { hi: Uint32Array; lo: Uint32Array },
  label = '',
): Result<ListDelta, ListError> {
  const u = sortKeys(ups.hi, ups.lo, ups.types);
  const r = sortKeys(rms.hi, rms.lo, new Uint8Array(rms.hi.length));
  let i = 0;
  let j = 0;
  while (i < u.hi.length && j < r.hi.length) {
    const c = cmp(u.hi[i]!, u.lo[i]!, r.hi[j]!, r.lo[j]!);
    if (c === 0) return err(new ListError('LIST_FORMAT', 'delta', '同一名单键既新增又删除'));
    if (c < 0) i++;
    else j++;
  }
  return ok({
    kind,
    fromVersion,
    toVersion,
    label,
    upHi: u.hi,
    upLo: u.lo,
    upTypes: u.types,
    rmHi: r.hi,
    rmLo: r.lo,
  });
}

function cmp(ah: number, al: number, bh: number, bl: number): number {
  return ah !== bh ? (ah < bh ? -1 : 1) : al !== bl ? (al < bl ? -1 : 1) : 0;
}

/** The delta that turns `a` into `b` (one merge pass). */
export function diffIndexes(a: StatusIndex, b: StatusIndex): Result<ListDelta, ListError> {
  if (a.kind !== b.kind)
    return err(new ListError('LIST_KIND', 'kind', `名单种类不同：${a.kind} / ${b.kind}`));
  const upH: number[] = [];
  const upL: number[] = [];
  const upT: number[] = [];
  const rmH: number[] = [];
  const rmL: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.count || j < b.count) {
    const c = i >= a.count ? 1 : j >= b.count ? -1 : cmp(a.hi[i]!, a.lo[i]!, b.hi[j]!, b.lo[j]!);
    if (c < 0) {
      rmH.push(a.hi[i]!);
      rmL.push(a.lo[i]!);
      i++;
    } else if (c > 0) {
      upH.push(b.hi[j]!);
      upL.push(b.lo[j]!);
      upT.push(b.types[j]!);
      j++;
    } else {
      if (a.types[i] !== b.types[j]) {
        upH.push(b.hi[j]!);
        upL.push(b.lo[j]!);
        upT.push(b.types[j]!);
      }
      i++;
      j++;
    }
  }
  return ok({
    kind: a.kind,
    fromVersion: a.version,
    toVersion: b.version,
    label: b.label,
    upHi: Uint32Array.from(upH),
    upLo: Uint32Array.from(upL),
    upTypes: Uint8Array.from(upT),
    rmHi: Uint32Array.from(rmH),
    rmLo: Uint32Array.from(rmL),
  });
}

/**
 * Applies a delta: refused (typed error, `base` untouched) on a kind mismatch or a version gap
 * (delta.fromVersion ≠ base.version). Cost: O(k log n) searches + one bulk copy of the arrays.
 */
export function applyDelta(base: StatusIndex, d: ListDelta): Result<StatusIndex, ListError> {
  if (d.kind !== base.kind)
    return err(new ListError('LIST_KIND', 'kind', `增量名单种类 ${d.kind} 与当前 ${base.kind} 不符`));
  if (d.fromVersion !== base.version) {
    return err(
      new ListError(
        'LIST_VERSION_GAP',
        'fromVersion',
        `增量起始版本 ${d.fromVersion} 与当前版本 ${base.version} 不连续`,
      ),
    );
  }
  // Merge upserts and removes into one key-ordered change list; find each change's position once.
  const nu = d.upHi.length;
  const nr = d.rmHi.length;
  const total = nu + nr;
  const pos = new Int32Array(total);
  const which = new Int32Array(total); // ≥ 0: upsert index; < 0: -(remove index) - 1
  let newCount = base.count;
  let i = 0;
  let j = 0;
  for (let k = 0; k < total; k++) {
    const takeUp = j >= nr || (i < nu && cmp(d.upHi[i]!, d.upLo[i]!, d.rmHi[j]!, d.rmLo[j]!) < 0);
    if (takeUp) {
      const p = base.find(d.upHi[i]!, d.upLo[i]!);
      pos[k] = p;
      which[k] = i++;
      if (p < 0) newCount++;
    } else {
      const p = base.find(d.rmHi[j]!, d.rmLo[j]!);
      pos[k] = p;
      which[k] = -j++ - 1;
      if (p >= 0) newCount--;
    }
  }
  const hi = new Uint32Array(newCount);
  const lo = new Uint32Array(newCount);
  const types = new Uint8Array(newCount);
  let r = 0; // read position in base
  let w = 0;
  for (let k = 0; k < total; k++) {
    const p = pos[k]!;
    const at = p >= 0 ? p : -p - 1;
    if (at > r) {
      hi.set(base.hi.subarray(r, at), w);
      lo.set(base.lo.subarray(r, at), w);
      types.set(base.types.subarray(r, at), w);
      w += at - r;
      r = at;
    }
    const u = which[k]!;
    if (u >= 0) {
      hi[w] = d.upHi[u]!;
      lo[w] = d.upLo[u]!;
      types[w] = d.upTypes[u]!;
      w++;
    }
    if (p >= 0) r = p + 1; // the old entry is replaced or removed
  }
  if (r < base.count) {
    hi.set(base.hi.subarray(r), w);
    lo.set(base.lo.subarray(r), w);
    types.set(base.types.subarray(r), w);
  }
  return ok(new StatusIndex(base.kind, d.toVersion, d.label || base.label, hi, lo, types));
}
