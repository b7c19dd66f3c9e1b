import { err, mulberry32, ok, type Result } from '@tollpad/domain';
import { type ListDelta, makeDelta } from './delta';
import type { ListError } from './errors';
import { P22, P27 } from './keys';
import { StatusIndex } from './status-index';

/**
 * National-scale SYNTHETIC TEST DATA for status lists (benchmarks and tests; not real cards).
 * Card numbers use the 31 province networks "pp01"; keys are generated already sorted, so 50 M
 * entries cost one pass and no sort.
 */
export const SYNTHETIC_LIST_LABEL = 'SYNTHETIC TEST DATA';
export const PROVINCE_CODES = [
  11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61,
  62, 63, 64, 65,
] as const;

/** Card-list type mix (mostly 挂失 and 注销) — invented proportions for TEST data. */
function cardType(r: number): number {
  return r < 0.4 ? 1 : r < 0.5 ? 2 : r < 0.7 ? 3 : r < 0.85 ? 4 : r < 0.9 ? 5 : r < 0.95 ? 6 : 7;
}

const E8 = 100000000;
const netIndex = (pp: number) => (pp - 10) * 11 + 1;

export interface CardListOptions {
  readonly count: number;
  readonly seed?: number;
  readonly version?: string;
}

export function generateCardIndex(opts: CardListOptions): StatusIndex {
  const rnd = mulberry32(opts.seed ?? 1);
  const n = opts.count;
  const hi = new Uint32Array(n);
  const lo = new Uint32Array(n);
  const types = new Uint8Array(n);
  const nets = PROVINCE_CODES.length;
  let w = 0;
  for (let k = 0; k < nets; k++) {
    const c = Math.floor(n / nets) + (k < n % nets ? 1 : 0);
    const net = netIndex(PROVINCE_CODES[k]!);
    const avg = Math.max(1, Math.floor((0.9 * E8) / Math.max(c, 1)));
    let a = -1;
    for (let i = 0; i < c; i++) {
      const room = E8 - 1 - a - (c - i); // keep space for the remaining entries
      a += 1 + Math.min(Math.floor(rnd() * (2 * avg - 1)), Math.max(0, room - 1));
      const b = Math.floor(rnd() * E8);
      hi[w] = net * P22 + Math.floor(a / 32);
      lo[w] = (a % 32) * P27 + b;
      types[w] = cardType(rnd());
      w++;
    }
  }
  return new StatusIndex('card', opts.version ?? '202401171500', SYNTHETIC_LIST_LABEL, hi, lo, types);
}

/** A random valid card number (TEST data). */
export function randomCardNumber(rnd: () => number): string {
  const pp = PROVINCE_CODES[Math.floor(rnd() * PROVINCE_CODES.length)]!;
  const a = String(Math.floor(rnd() * E8)).padStart(8, '0');
  const b = String(Math.floor(rnd() * E8)).padStart(8, '0');
  return `${pp}01${a}${b}`;
}

export interface DeltaOptions {
  readonly adds: number;
  readonly removes: number;
  readonly changes?: number;
  readonly seed?: number;
  readonly toVersion: string;
}

/** A random delta on a card index: new cards, removed cards and type changes (TEST data). */
export function generateCardDelta(layered: StatusIndex, opts: DeltaOptions): Result<ListDelta, ListError> {
  const base = layered.materialize();
  const rnd = mulberry32(opts.seed ?? 2);
  const n = base.count;
  const changes = Math.min(opts.changes ?? 0, n);
  const removes = Math.min(opts.removes, n - changes);
  // Distinct positions for removes and changes.
  const picked = new Set<number>();
  while (picked.size < removes + changes) picked.add(Math.floor(rnd() * n));
  const pos = [...picked];
  const rmHi = new Uint32Array(removes);
  const rmLo = new Uint32Array(removes);
  for (let i = 0; i < removes; i++) {
    rmHi[i] = base.hi[pos[i]!]!;
    rmLo[i] = base.lo[pos[i]!]!;
  }
  const upH: number[] = [];
  const upL: number[] = [];
  const upT: number[] = [];
  for (let i = removes; i < removes + changes; i++) {
    const p = pos[i]!;
    upH.push(base.hi[p]!);
    upL.push(base.lo[p]!);
    upT.push((base.types[p]! % 7) + 1);
  }
  let added = 0;
  while (added < opts.adds) {
    const pp = PROVINCE_CODES[Math.floor(rnd() * PROVINCE_CODES.length)]!;
    const a = Math.floor(rnd() * E8);
    const h = netIndex(pp) * P22 + Math.floor(a / 32);
    const l = (a % 32) * P27 + Math.floor(rnd() * E8);
    if (base.find(h, l) >= 0) continue;
    upH.push(h);
    upL.push(l);
    upT.push(cardType(rnd()));
    added++;
  }
  const d = makeDelta(
    'card',
    base.version,
    opts.toVersion,
    { hi: Uint32Array.from(upH), lo: Uint32Array.from(upL), types: Uint8Array.from(upT) },
    { hi: rmHi, lo: rmLo },
    SYNTHETIC_LIST_LABEL,
  );
  return d.ok ? ok(d.value) : err(d.error);
}
