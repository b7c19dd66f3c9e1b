import { err, ok, type Result } from '@tollpad/domain';
import { ListError } from './errors';
import { encodeKey } from './keys';
import { LIST_TYPES, type ListKind } from './kinds';

/**
 * A compact, immutable status list: keys sorted as unsigned 64-bit (hi, lo) in two Uint32Arrays, a
 * Uint8Array of type codes, and a fence of every 64th key for a two-level binary search
 * (fence in cache, then ≤ 6 probes inside one block). 9 bytes + 1/8 byte per entry.
 */
export const BLOCK_SHIFT = 6;

export interface ListHit {
  readonly kind: ListKind;
  readonly type: number;
  readonly reason: string;
  /** Version of the list that answered. */
  readonly version: string;
}

export class StatusIndex {
  readonly count: number;
  private readonly fenceHi: Uint32Array;
  private readonly fenceLo: Uint32Array;
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
    const blocks = (this.count + (1 << BLOCK_SHIFT) - 1) >>> BLOCK_SHIFT;
    this.fenceHi = new Uint32Array(blocks);
    this.fenceLo = new Uint32Array(blocks);
    for (let b = 0; b < blocks; b++) {
      this.fenceHi[b] = hi[b << BLOCK_SHIFT]!;
      this.fenceLo[b] = lo[b << BLOCK_SHIFT]!;
    }
  }

  /** Resident bytes of the index (arrays + fence). */
  get byteSize(): number {
    return this.hi.byteLength + this.lo.byteLength + this.types.byteLength + this.fenceHi.byteLength * 2;
  }

  /**
   * Lower bound: the first position whose key is ≥ (h, l). Returns position, and whether it matches
   * (encoded as -pos - 1 when absent, like Java's binarySearch).
   */
  find(h: number, l: number): number {
    const { fenceHi, fenceLo, hi, lo } = this;
    // Last block whose first key ≤ key.
    let a = 0;
    let b = fenceHi.length - 1;
    if (b < 0) return -1;
    const fh0 = fenceHi[0]!;
    if (h < fh0 || (h === fh0 && l < fenceLo[0]!)) return -1;
    while (a < b) {
      const m = (a + b + 1) >>> 1;
      const fh = fenceHi[m]!;
      if (fh < h || (fh === h && fenceLo[m]! <= l)) a = m;
      else b = m - 1;
    }
    let lo0 = a << BLOCK_SHIFT;
    let hi0 = Math.min(lo0 + (1 << BLOCK_SHIFT), this.count);
    while (lo0 < hi0) {
      const m = (lo0 + hi0) >>> 1;
      const kh = hi[m]!;
      if (kh < h || (kh === h && lo[m]! < l)) lo0 = m + 1;
      else hi0 = m;
    }
    if (lo0 < this.count && hi[lo0] === h && lo[lo0] === l) return lo0;
    return -lo0 - 1;
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
