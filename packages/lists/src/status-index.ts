import { err, ok, type Result } from '@tollpad/domain';
import { ListError } from './errors';
import { encodeKey } from './keys';
import { LIST_TYPES, type ListKind } from './kinds';

/**
 * A compact, immutable status list: keys sorted as unsigned 64-bit (hi, lo) in two Uint32Arrays, a
 * Uint8Array of type codes, and a radix directory on the top bits of `hi` (bucket → first position),
 * so a lookup is one directory read plus a short binary search inside one bucket.
 * 9 bytes per entry + the directory (≤ 2^22 × 4 B, ≈ 0.34 B/entry at 50 M).
 *
 * Deltas do not copy the base: they go into a small sorted overlay (type 0 = removed) consulted first,
 * merged into a new base only when it grows past a threshold (see applyDelta) — an LSM-style layout.
 */
export interface Overlay {
  /** Sorted overlay entries; type 0 marks a removal. */
  readonly run: StatusIndex;
  /** For each overlay entry, its position in the base (≥ 0) or -(insertion point) - 1. */
  readonly basePos: Int32Array;
}
export interface ListHit {
  readonly kind: ListKind;
  readonly type: number;
  readonly reason: string;
  /** Version of the list that answered. */
  readonly version: string;
}

/** Directory bits: about one bucket per 16 entries, between 2^8 and 2^22 buckets. */
function directoryBits(n: number): number {
  return Math.min(22, Math.max(8, Math.ceil(Math.log2(Math.max(n, 1))) - 4));
}

export class StatusIndex {
  /** Entries in force (base + overlay adds − overlay removals). */
  readonly count: number;
  /** False when the arrays given were not strictly increasing (decodeList refuses such a file). */
  readonly sorted: boolean;
  private readonly dir: Uint32Array;
  private readonly shift: number;
  private readonly scratch = new Uint32Array(2);

  constructor(
    readonly kind: ListKind,
    readonly version: string,
    readonly label: string,
    readonly hi: Uint32Array,
    readonly lo: Uint32Array,
    readonly types: Uint8Array,
    /** Internal: a directory already built for these arrays (delta merge), skipping the O(n) pass. */
    prebuilt?: { readonly dir: Uint32Array; readonly shift: number },
    /** Internal: pending delta entries over this base (see applyDelta). */
    readonly overlay?: Overlay,
  ) {
    this.count = hi.length + (overlay ? overlayCountChange(overlay) : 0);
    if (prebuilt) {
      this.shift = prebuilt.shift;
      this.dir = prebuilt.dir;
      this.sorted = true;
      return;
    }
    const bits = directoryBits(hi.length);
    this.shift = 32 - bits;
    const buckets = 1 << bits;
    const dir = new Uint32Array(buckets + 1);
    const shift = this.shift;
    // One pass builds the directory and checks the order (a full list must be sorted, no duplicates).
    let sorted = true;
    let ph = -1;
    let pl = -1;
    for (let i = 0; i < hi.length; i++) {
      const h = hi[i]!;
      const l = lo[i]!;
      if (h < ph || (h === ph && l <= pl)) sorted = false;
      ph = h;
      pl = l;
      dir[(h >>> shift) + 1]!++;
    }
    this.sorted = sorted;
    for (let b = 0; b < buckets; b++) dir[b + 1]! += dir[b]!;
    this.dir = dir;
  }

  /**
   * The directory for this index after a merge that adds `delta[b]` entries in bucket b (negative for
   * removals), or undefined when the new size needs a different number of buckets.
   */
  shiftedDirectory(
    newCount: number,
    bucketDelta: Map<number, number>,
  ): { dir: Uint32Array; shift: number } | undefined {
    if (32 - directoryBits(newCount) !== this.shift) return undefined;
    const dir = this.dir.slice();
    const buckets = [...bucketDelta.keys()].sort((a, b) => a - b);
    let acc = 0;
    for (const [i, b] of buckets.entries()) {
      acc += bucketDelta.get(b)!;
      const end = i + 1 < buckets.length ? buckets[i + 1]! : dir.length - 1;
      // Every bucket boundary after b moves by the running total.
      for (let k = b + 1; k <= end; k++) dir[k] = dir[k]! + acc;
    }
    return { dir, shift: this.shift };
  }

  get directoryShift(): number {
    return this.shift;
  }

  /** Internal: the base run's directory, shared by an index that only adds an overlay. */
  directory(): { readonly dir: Uint32Array; readonly shift: number } {
    return { dir: this.dir, shift: this.shift };
  }

  /** Resident bytes of the index (arrays + directory). */
  get byteSize(): number {
    const ov = this.overlay ? this.overlay.run.byteSize + this.overlay.basePos.byteLength : 0;
    return this.hi.byteLength + this.lo.byteLength + this.types.byteLength + this.dir.byteLength + ov;
  }

  /**
   * Position of the key in the base run (the overlay is not consulted), or -(insertion point) - 1 when
   * absent (like Java's binarySearch).
   * Inside the bucket the first probe is interpolated from the key's offset in the bucket's value
   * range (a one-segment learned index), then a galloping search brackets the key and a binary search
   * finishes: on locally uniform keys that touches one or two cache lines.
   */
  find(h: number, l: number): number {
    const { hi, lo, dir, shift } = this;
    const b = h >>> shift;
    let a = dir[b]!;
    let z = dir[b + 1]!;
    if (z - a > 8) {
      const width = 2 ** shift;
      const frac = (h - b * width + l / 4294967296) / width;
      const g = a + Math.floor(frac * (z - a));
      const kh = hi[g]!;
      if (kh < h || (kh === h && lo[g]! < l)) {
        // Key is after g: gallop right.
        let step = 1;
        let p = g + 1;
        while (p < z) {
          const ph = hi[p]!;
          if (ph > h || (ph === h && lo[p]! >= l)) break;
          a = p + 1;
          step *= 2;
          p = g + 1 + step;
        }
        a = Math.max(a, g + 1);
        z = Math.min(z, p + 1);
      } else {
        // Key is at or before g: gallop left.
        let step = 1;
        let p = g - 1;
        z = g + 1;
        while (p >= a) {
          const ph = hi[p]!;
          if (ph < h || (ph === h && lo[p]! < l)) break;
          z = p + 1;
          step *= 2;
          p = g - 1 - step;
        }
        a = Math.max(a, p + 1);
      }
    }
    while (a < z) {
      const m = (a + z) >>> 1;
      const kh = hi[m]!;
      if (kh < h || (kh === h && lo[m]! < l)) a = m + 1;
      else z = m;
    }
    if (a < hi.length && hi[a] === h && lo[a] === l) return a;
    return -a - 1;
  }

  /** Type code at a key, or 0 when absent. */
  typeOf(h: number, l: number): number {
    const ov = this.overlay;
    if (ov) {
      const q = ov.run.find(h, l);
      if (q >= 0) return ov.run.types[q]!;
    }
    const p = this.find(h, l);
    return p >= 0 ? this.types[p]! : 0;
  }

  /** Looks up a card number (20 digits), OBU ID (16 hex) or vehicle ID (plate_colour). */
  lookup(key: string): ListHit | null {
    if (!encodeKey(this.kind, key, this.scratch)) return null;
    const type = this.typeOf(this.scratch[0]!, this.scratch[1]!);
    if (type === 0) return null;
    return {
      kind: this.kind,
      type,
      reason: LIST_TYPES[this.kind].get(type) ?? `类型${type}`,
      version: this.version,
    };
  }

  has(key: string): boolean {
    return this.lookup(key) !== null;
  }

  /** Pending overlay entries (0 when the index is one sorted run). */
  get overlaySize(): number {
    return this.overlay?.run.hi.length ?? 0;
  }

  /** The same list as one sorted run (merges the overlay; `this` when there is none). */
  materialize(): StatusIndex {
    return this.overlay ? mergeOverlay(this, this.overlay, this.version, this.label) : this;
  }

  /** Same kind, version and entries (whatever the internal layering). */
  equals(other: StatusIndex): boolean {
    const a = this.materialize();
    const b = other.materialize();
    return (
      a.kind === b.kind &&
      a.version === b.version &&
      a.count === b.count &&
      sameArray(a.hi, b.hi) &&
      sameArray(a.lo, b.lo) &&
      sameArray(a.types, b.types)
    );
  }
}

function overlayCountChange(ov: Overlay): number {
  let c = 0;
  const { types } = ov.run;
  for (let i = 0; i < types.length; i++) {
    const inBase = ov.basePos[i]! >= 0;
    if (types[i] === 0) {
      if (inBase) c--;
    } else if (!inBase) c++;
  }
  return c;
}

/**
 * Merges an overlay into the base as one new sorted run: one bulk copy of the base segments between
 * overlay positions (known from basePos, no searches); the directory is shifted, not rebuilt, when the
 * bucket count stays the same.
 */
export function mergeOverlay(base: StatusIndex, ov: Overlay, version: string, label: string): StatusIndex {
  const n = base.hi.length;
  const newCount = n + overlayCountChange(ov);
  const bucketDelta = new Map<number, number>();
  const shift = base.directoryShift;
  const hi = new Uint32Array(newCount);
  const lo = new Uint32Array(newCount);
  const types = new Uint8Array(newCount);
  const { run, basePos } = ov;
  let r = 0;
  let w = 0;
  for (let k = 0; k < run.hi.length; k++) {
    const p = basePos[k]!;
    const at = p >= 0 ? p : -p - 1;
    if (at > r) {
      hi.set(base.hi.subarray(r, at), w);
      lo.set(base.lo.subarray(r, at), w);
      types.set(base.types.subarray(r, at), w);
      w += at - r;
      r = at;
    }
    const t = run.types[k]!;
    const h = run.hi[k]!;
    if (t !== 0) {
      hi[w] = h;
      lo[w] = run.lo[k]!;
      types[w] = t;
      w++;
    }
    const effect = t !== 0 ? (p >= 0 ? 0 : 1) : p >= 0 ? -1 : 0;
    if (effect !== 0) bucketDelta.set(h >>> shift, (bucketDelta.get(h >>> shift) ?? 0) + effect);
    if (p >= 0) r = p + 1; // the base entry is replaced or removed
  }
  if (r < n) {
    hi.set(base.hi.subarray(r), w);
    lo.set(base.lo.subarray(r), w);
    types.set(base.types.subarray(r), w);
  }
  const prebuilt = base.shiftedDirectory(newCount, bucketDelta);
  return new StatusIndex(base.kind, version, label, hi, lo, types, prebuilt);
}

function sameArray(a: Uint32Array | Uint8Array, b: Uint32Array | Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export interface ListEntry {
  readonly key: string;
  readonly type: number;
}

/** Builds an index from text entries (any order; a later duplicate wins). */
export function buildIndex(
  kind: ListKind,
  version: string,
  entries: Iterable<ListEntry>,
  label = '',
): Result<StatusIndex, ListError> {
  const his: number[] = [];
  const los: number[] = [];
  const tys: number[] = [];
  const k = new Uint32Array(2);
  let i = 0;
  for (const e of entries) {
    if (!encodeKey(kind, e.key, k))
      return err(new ListError('LIST_KEY', `entries[${i}].key`, `名单键格式错误：${e.key}`));
    if (!Number.isInteger(e.type) || e.type < 1 || e.type > 255) {
      return err(new ListError('LIST_TYPE', `entries[${i}].type`, `名单类型应为1–255：${e.type}`));
    }
    his.push(k[0]!);
    los.push(k[1]!);
    tys.push(e.type);
    i++;
  }
  const sorted = sortKeys(Uint32Array.from(his), Uint32Array.from(los), Uint8Array.from(tys));
  return ok(new StatusIndex(kind, version, label, sorted.hi, sorted.lo, sorted.types));
}

/** Stable LSD radix sort on (hi, lo) with 16-bit digits, then de-duplication keeping the last. */
export function sortKeys(
  hi: Uint32Array,
  lo: Uint32Array,
  types: Uint8Array,
): { hi: Uint32Array; lo: Uint32Array; types: Uint8Array } {
  const n = hi.length;
  let perm = new Uint32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  let next = new Uint32Array(n);
  const count = new Uint32Array(65537);
  for (const [arr, shift] of [
    [lo, 0],
    [lo, 16],
    [hi, 0],
    [hi, 16],
  ] as const) {
    count.fill(0);
    for (let i = 0; i < n; i++) count[((arr[perm[i]!]! >>> shift) & 0xffff) + 1]!++;
    for (let d = 0; d < 65536; d++) count[d + 1]! += count[d]!;
    for (let i = 0; i < n; i++) {
      const p = perm[i]!;
      next[count[(arr[p]! >>> shift) & 0xffff]!++] = p;
    }
    [perm, next] = [next, perm];
  }
  const oh = new Uint32Array(n);
  const ol = new Uint32Array(n);
  const ot = new Uint8Array(n);
  let w = 0;
  for (let i = 0; i < n; i++) {
    const p = perm[i]!;
    if (w > 0 && oh[w - 1] === hi[p] && ol[w - 1] === lo[p]) w--; // later duplicate wins (stable sort)
    oh[w] = hi[p]!;
    ol[w] = lo[p]!;
    ot[w] = types[p]!;
    w++;
  }
  return w === n
    ? { hi: oh, lo: ol, types: ot }
    : { hi: oh.slice(0, w), lo: ol.slice(0, w), types: ot.slice(0, w) };
}
