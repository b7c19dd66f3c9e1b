import { err, ok, type Result } from '@tollpad/domain';
import { ListError } from './errors';
import { encodeKey } from './keys';
import { LIST_TYPES, type ListKind } from './kinds';

/**
 * A compact, immutable status list: keys sorted as unsigned 64-bit (hi, lo) in two Uint32Arrays, a
 * Uint8Array of type codes, and a radix directory on the top bits of `hi` (bucket → first position),
 * so a lookup is one directory read plus a short binary search inside one bucket.
 * 9 bytes per entry + the directory (≤ 2^22 × 4 B, ≈ 0.34 B/entry at 50 M).
 */
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
  ) {
    this.count = hi.length;
    const bits = directoryBits(this.count);
    this.shift = 32 - bits;
    const buckets = 1 << bits;
    const dir = new Uint32Array(buckets + 1);
    const shift = this.shift;
    // One pass builds the directory and checks the order (a full list must be sorted, no duplicates).
    let sorted = true;
    let ph = -1;
    let pl = -1;
    for (let i = 0; i < this.count; i++) {
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

  /** Resident bytes of the index (arrays + directory). */
  get byteSize(): number {
    return this.hi.byteLength + this.lo.byteLength + this.types.byteLength + this.dir.byteLength;
  }

  /**
   * Position of the key, or -(insertion point) - 1 when absent (like Java's binarySearch).
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
    if (a < this.count && hi[a] === h && lo[a] === l) return a;
    return -a - 1;
  }

  /** Type code at a key, or 0 when absent. */
  typeOf(h: number, l: number): number {
    const p = this.find(h, l);
    return p >= 0 ? this.types[p]! : 0;
  }

  /** Looks up a card number (20 digits), OBU ID (16 hex) or vehicle ID (plate_colour). */
  lookup(key: string): ListHit | null {
    if (!encodeKey(this.kind, key, this.scratch)) return null;
    const p = this.find(this.scratch[0]!, this.scratch[1]!);
    if (p < 0) return null;
    const type = this.types[p]!;
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

  equals(other: StatusIndex): boolean {
    return (
      this.kind === other.kind &&
      this.version === other.version &&
      this.count === other.count &&
      sameArray(this.hi, other.hi) &&
      sameArray(this.lo, other.lo) &&
      sameArray(this.types, other.types)
    );
  }
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
