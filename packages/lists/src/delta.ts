import { err, ok, type Result } from '@tollpad/domain';
import { ListError } from './errors';
import type { ListKind } from './kinds';
import { mergeOverlay, StatusIndex, sortKeys } from './status-index';

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
export function diffIndexes(a0: StatusIndex, b0: StatusIndex): Result<ListDelta, ListError> {
  if (a0.kind !== b0.kind) {
    return err(new ListError('LIST_KIND', 'kind', `名单种类不同：${a0.kind} / ${b0.kind}`));
  }
  const a = a0.materialize();
  const b = b0.materialize();
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

export interface ApplyOptions {
  /** Overlay entries above which the delta is merged into a new base run. Default max(65,536, n / 64). */
  readonly maxOverlay?: number;
}

const EMPTY32 = new Uint32Array(0);

/**
 * Applies a delta: refused (typed error, `base` untouched) on a kind mismatch or a version gap
 * (delta.fromVersion ≠ base.version). The base arrays are not copied: the delta is merged into the
 * small overlay (O(overlay + k) plus one base search per new key); only when the overlay outgrows
 * `maxOverlay` is everything merged into a new base run (one bulk copy).
 */
export function applyDelta(
  base: StatusIndex,
  d: ListDelta,
  opts: ApplyOptions = {},
): Result<StatusIndex, ListError> {
  if (d.kind !== base.kind) {
    return err(new ListError('LIST_KIND', 'kind', `增量名单种类 ${d.kind} 与当前 ${base.kind} 不符`));
  }
  if (d.fromVersion !== base.version) {
    return err(
      new ListError(
        'LIST_VERSION_GAP',
        'fromVersion',
        `增量起始版本 ${d.fromVersion} 与当前版本 ${base.version} 不连续`,
      ),
    );
  }
  const ov = base.overlay;
  const oh = ov?.run.hi ?? EMPTY32;
  const ol = ov?.run.lo ?? EMPTY32;
  const ot = ov?.run.types ?? new Uint8Array(0);
  const op = ov?.basePos ?? new Int32Array(0);
  const no = oh.length;
  const nu = d.upHi.length;
  const nr = d.rmHi.length;
  const cap = no + nu + nr;
  const H = new Uint32Array(cap);
  const L = new Uint32Array(cap);
  const T = new Uint8Array(cap);
  const P = new Int32Array(cap);
  let w = 0;
  let a = 0;
  let i = 0;
  let j = 0;
  while (a < no || i < nu || j < nr) {
    // Next delta change (upserts and removes are disjoint).
    const hasDelta = i < nu || j < nr;
    const takeUp =
      hasDelta && (j >= nr || (i < nu && cmp(d.upHi[i]!, d.upLo[i]!, d.rmHi[j]!, d.rmLo[j]!) < 0));
    const dh = takeUp ? d.upHi[i]! : (d.rmHi[j] ?? 0);
    const dl = takeUp ? d.upLo[i]! : (d.rmLo[j] ?? 0);
    const c = !hasDelta ? -1 : a >= no ? 1 : cmp(oh[a]!, ol[a]!, dh, dl);
    if (c < 0) {
      H[w] = oh[a]!;
      L[w] = ol[a]!;
      T[w] = ot[a]!;
      P[w] = op[a]!;
      w++;
      a++;
      continue;
    }
    const pos = c === 0 ? op[a++]! : base.find(dh, dl);
    let type = 0;
    if (takeUp) type = d.upTypes[i++]!;
    else j++;
    if (type === 0 && pos < 0) continue; // removing a key that is nowhere: nothing to remember
    H[w] = dh;
    L[w] = dl;
    T[w] = type;
    P[w] = pos;
    w++;
  }
  const label = d.label || base.label;
  const overlay = {
    run: new StatusIndex(base.kind, d.toVersion, '', H.slice(0, w), L.slice(0, w), T.slice(0, w)),
    basePos: P.slice(0, w),
  };
  const max = opts.maxOverlay ?? Math.max(65_536, Math.floor(base.hi.length / 64));
  if (w > max) return ok(mergeOverlay(base, overlay, d.toVersion, label));
  return ok(
    new StatusIndex(base.kind, d.toVersion, label, base.hi, base.lo, base.types, base.directory(), overlay),
  );
}
