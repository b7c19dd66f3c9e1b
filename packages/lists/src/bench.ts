import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mulberry32 } from '@tollpad/domain';
import type { BenchRow } from '@tollpad/domain/bench';
import { decodeList, encodeDeltaList, encodeFullList } from './binary-format';
import { applyDelta } from './delta';
import { decodeCardKey } from './keys';
import type { StatusIndex } from './status-index';
import { generateCardDelta, generateCardIndex, randomCardNumber } from './synthetic';

/**
 * Status-list benchmarks (Node only; `npm run bench`). SYNTHETIC TEST DATA. The Set<string> baseline
 * is built on a smaller sample (default 2 M) and its bytes per entry extrapolated to the full count.
 */
export interface ListBenchOptions {
  readonly entries?: number;
  readonly setSample?: number;
  readonly deltaSize?: number;
}

const gc = (globalThis as { gc?: () => void }).gc;

/** p50 of per-lookup means over batches of 1,000 (a single sub-µs call is below timer resolution). */
function lookupP50(queries: readonly string[], fn: (q: string) => unknown): number {
  const batch = 1000;
  const means: number[] = [];
  let sink = 0;
  for (let rep = 0; rep < 3; rep++) {
    for (let i = 0; i + batch <= queries.length; i += batch) {
      const t0 = performance.now();
      for (let j = i; j < i + batch; j++) if (fn(queries[j]!)) sink++;
      means.push(((performance.now() - t0) * 1e6) / batch);
    }
  }
  if (sink < 0) console.log(sink);
  means.sort((a, b) => a - b);
  return means[Math.floor(means.length / 2)]!;
}

function queriesFor(index: StatusIndex, n: number, seed: number): string[] {
  const rnd = mulberry32(seed);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    if (i % 2 === 0) {
      const p = Math.floor(rnd() * index.count);
      out.push(decodeCardKey(index.hi[p]!, index.lo[p]!));
    } else out.push(randomCardNumber(rnd));
  }
  return out;
}

export async function runListBenchmarks(opts: ListBenchOptions = {}): Promise<BenchRow[]> {
  const n = opts.entries ?? 50_000_000;
  const sample = Math.min(opts.setSample ?? 2_000_000, n);
  const deltaSize = opts.deltaSize ?? 100_000;
  const M = (x: number) => `${(x / 1e6).toFixed(x % 1e6 === 0 ? 0 : 1)} M`;
  const rows: BenchRow[] = [];
  const dir = await mkdtemp(join(tmpdir(), 'tollpad-lists-'));
  try {
    let index: StatusIndex | undefined = generateCardIndex({ count: n, seed: 42, version: '202401171500' });
    const bytesPerEntry = index.byteSize / n;

    // Baseline: Set<string> of the first `sample` card numbers.
    gc?.();
    const heap0 = process.memoryUsage().heapUsed;
    let set: Set<string> | undefined = new Set<string>();
    const step = Math.max(1, Math.floor(n / sample));
    for (let i = 0; set.size < sample && i < n; i += step) set.add(decodeCardKey(index.hi[i]!, index.lo[i]!));
    gc?.();
    const setBytes = (process.memoryUsage().heapUsed - heap0) / set.size;
    // Same 50 % hit mix as the index queries, hits drawn from the sample.
    const rq = mulberry32(7);
    const sampled = set.size;
    const setQueries = Array.from({ length: 200_000 }, (_, i) => {
      if (i % 2 === 1) return randomCardNumber(rq);
      const p = Math.floor(rq() * sampled) * step;
      return decodeCardKey(index!.hi[p]!, index!.lo[p]!);
    });
    const setP50 = lookupP50(setQueries, (q) => set!.has(q));

    rows.push({
      name: `status list ${M(n)} cards: resident bytes/entry`,
      value: Number(bytesPerEntry.toFixed(3)),
      unit: 'B',
      goal: '≤ 10 B',
      baseline: `Set<string> ${setBytes.toFixed(1)} B/entry (measured on ${M(set.size)}, extrapolated ${((setBytes * n) / 2 ** 30).toFixed(1)} GiB)`,
      ratio: Number((setBytes / bytesPerEntry).toFixed(1)),
      pass: bytesPerEntry <= 10,
    });
    set = undefined;
    gc?.();

    // Binary file: write, then load (read + CRC-32 + zero-copy views).
    const file = join(dir, 'card-full.tpsl');
    await writeFile(file, encodeFullList(index));
    index = undefined;
    gc?.();
    const t0 = performance.now();
    const bytes = await readFile(file);
    const decoded = decodeList(bytes);
    const loadMs = performance.now() - t0;
    if (!decoded.ok || decoded.value.type !== 'full') throw new Error('bench: list file did not load');
    const loaded = decoded.value.index;
    rows.push({
      name: `status list ${M(n)}: load binary file (read + CRC-32 + views)`,
      value: Math.round(loadMs),
      unit: 'ms',
      goal: '≤ 3000 ms',
      pass: loadMs <= 3000,
    });

    const queries = queriesFor(loaded, 200_000, 9);
    const p50 = lookupP50(queries, (q) => loaded.lookup(q));
    rows.push({
      name: `status list ${M(n)}: lookup p50 (50 % hits, incl. key parse)`,
      value: Number((p50 / 1000).toFixed(3)),
      unit: 'µs',
      goal: '≤ 1 µs',
      baseline: `Set<string>.has ${(setP50 / 1000).toFixed(3)} µs (on ${M(sample)})`,
      ratio: Number((p50 / setP50).toFixed(2)),
      pass: p50 <= 1000,
    });

    const d = generateCardDelta(loaded, {
      adds: Math.round(deltaSize * 0.6),
      removes: Math.round(deltaSize * 0.3),
      changes: deltaSize - Math.round(deltaSize * 0.6) - Math.round(deltaSize * 0.3),
      toVersion: '202401171505',
      seed: 5,
    });
    if (!d.ok) throw d.error;
    const deltaBytes = encodeDeltaList(d.value);
    const t1 = performance.now();
    const dd = decodeList(deltaBytes);
    if (!dd.ok || dd.value.type !== 'delta') throw new Error('bench: delta did not decode');
    const applied = applyDelta(loaded, dd.value.delta);
    const deltaMs = performance.now() - t1;
    if (!applied.ok) throw applied.error;
    rows.push({
      name: `status list ${M(n)}: apply a ${deltaSize.toLocaleString('en')}-entry delta (decode + CRC + merge into overlay)`,
      value: Math.round(deltaMs),
      unit: 'ms',
      goal: '≤ 1000 ms',
      pass: deltaMs <= 1000,
    });
    const after = applied.value;
    const p50After = lookupP50(queries, (q) => after.lookup(q));
    rows.push({
      name: `status list ${M(n)}: lookup p50 after the delta (base + ${after.overlaySize.toLocaleString('en')}-entry overlay)`,
      value: Number((p50After / 1000).toFixed(3)),
      unit: 'µs',
      goal: '≤ 1 µs',
      pass: p50After <= 1000,
    });
    const t2 = performance.now();
    const compacted = after.materialize();
    const compactMs = performance.now() - t2;
    rows.push({
      name: `status list ${M(n)}: compact the overlay into one run (off-peak; not on the delta path)`,
      value: Math.round(compactMs),
      unit: 'ms',
      goal: 'info',
      pass: compacted.count === after.count,
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return rows;
}
