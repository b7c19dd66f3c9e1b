import { CPC_MAX_PATH_GANTRIES, type Fen, mulberry32 } from '@tollpad/domain';
import type { BenchRow } from '@tollpad/domain/bench';
import { CLASS_CODES } from './classes';
import { decideExitFee } from './decision/decide';
import { localOnlineFeePort } from './decision/local-online';
import { fitPath } from './fit';
import { generateProvince } from './generate';
import { buildMinFeeTables, lookupMinFee, minFeeAt, minFeePath } from './min-fee';
import { compileNetwork } from './network';

/** Tariff benchmarks on the SYNTHETIC TEST province (≈ 200 stations, 16 classes). Node-only. */
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)]!;

export async function runTariffBenchmarks(): Promise<BenchRow[]> {
  const compiled = compileNetwork(generateProvince({ seed: 20240117 }));
  if (!compiled.ok) throw new Error('bench: synthetic province did not compile');
  const net = compiled.value;
  const S = net.stationCount;
  const rows: BenchRow[] = [];

  const t0 = performance.now();
  const tables = buildMinFeeTables(net);
  const buildMs = performance.now() - t0;
  rows.push({
    name: `min-fee tables: all pairs, ${S} stations × ${CLASS_CODES.length} classes (${net.nodeCount} nodes, ${net.intervals.length} intervals)`,
    value: Math.round(buildMs),
    unit: 'ms',
    goal: '≤ 2000 ms',
    pass: buildMs <= 2000,
  });

  // O(1) lookup by station ID (two Map reads for the IDs, one array read): mean over 1 M lookups.
  const rnd = mulberry32(1);
  const ids = net.stations.map((s) => s.id);
  const q = Array.from({ length: 100_000 }, () => [
    ids[Math.floor(rnd() * S)]!,
    ids[Math.floor(rnd() * S)]!,
    CLASS_CODES[Math.floor(rnd() * 16)]!,
  ]) as [string, string, number][];
  let sink = 0;
  const t1 = performance.now();
  for (let rep = 0; rep < 10; rep++) {
    for (const [a, b, c] of q) {
      const r = lookupMinFee(tables, a, b, c);
      if (r.ok && r.value.reachable) sink += r.value.fee;
    }
  }
  const lookupNs = ((performance.now() - t1) * 1e6) / (q.length * 10);
  rows.push({
    name: 'min-fee lookup by station ID + class (dense Int32Array, one index computation)',
    value: Number(lookupNs.toFixed(0)),
    unit: 'ns',
    goal: 'O(1), ≤ 1000 ns',
    pass: lookupNs <= 1000,
  });

  // Online fee: realistic requests — the gantries of a min-fee or detour path, 20 % of reads missed.
  const times: number[] = [];
  for (let i = 0; i < 2000; i++) {
    const a = Math.floor(rnd() * S);
    const mid = Math.floor(rnd() * S);
    const b = Math.floor(rnd() * S);
    const ci = Math.floor(rnd() * 16);
    const path = [...minFeePath(tables, a, mid, ci), ...minFeePath(tables, mid, b, ci)];
    const gantries = path
      .flatMap((e) => net.edgeGantries[e]!)
      .filter(() => rnd() > 0.2)
      .map((g) => ({ gantry: net.gantries[g]!.hex }));
    const t = performance.now();
    const r = fitPath(tables, {
      entryStation: ids[a]!,
      exitStation: ids[b]!,
      vehicleClass: CLASS_CODES[ci]!,
      gantries,
    });
    times.push(performance.now() - t);
    if (r.ok) sink += r.fee;
  }
  const fitP95 = p95(times);
  rows.push({
    name: 'online fee by path fitting p95 (detour paths, 20 % gantry reads missed)',
    value: Number(fitP95.toFixed(3)),
    unit: 'ms',
    goal: '≤ 2 ms',
    pass: fitP95 <= 2,
  });

  // The whole exit fee decision with the local online fee (the handheld budget: local fee calc ≤ 10 ms).
  const port = localOnlineFeePort(tables);
  const dtimes: number[] = [];
  for (let i = 0; i < 2000; i++) {
    const a = Math.floor(rnd() * S);
    const b = Math.floor(rnd() * S);
    const amount = Math.floor(rnd() * 20000) as Fen;
    const t = performance.now();
    const r = await decideExitFee(
      {
        card: {
          userType: 0,
          entry: { station: ids[a]!, time: new Date(Date.UTC(2024, 0, 17, 4)), vehicleClass: 1 },
        },
        obu: {
          ef04: 'ok',
          removed: false,
          totalAmount: Math.round(amount / 0.95) as Fen,
          totalDiscountAmount: amount,
          provinceCount: 1,
        },
        vehicleClass: 1,
        vehicleKind: 0,
        exitStation: ids[b]!,
        exitTime: new Date(Date.UTC(2024, 0, 17, 7)),
      },
      { tables, onlineFee: port },
    );
    dtimes.push(performance.now() - t);
    if (r.ok) sink += r.value.fee;
  }
  const decideP95 = p95(dtimes);
  rows.push({
    name: 'exit fee decision p95 (local online fee, random amounts)',
    value: Number(decideP95.toFixed(3)),
    unit: 'ms',
    goal: '≤ 10 ms',
    pass: decideP95 <= 10,
  });

  // The same decision for a CPC exit: two fee blocks (a neighbour province ending at a border gantry and
  // the local path's gantries), card amount M × 0.8–1.7, so plausible cards and online fallbacks both run.
  const border = 'FFFF01';
  const ctimes: number[] = [];
  const entryTime = new Date(Date.UTC(2024, 0, 17, 4));
  const at = (min: number) => new Date(entryTime.getTime() + min * 60_000);
  for (let i = 0; i < 2000; i++) {
    const a = Math.floor(rnd() * S);
    const b = Math.floor(rnd() * S);
    const m = minFeeAt(tables, a, b, 0);
    const target = Math.round((m.reachable ? m.fee : 1000) * (0.8 + rnd() * 0.9));
    const local = minFeePath(tables, a, b, 0)
      .flatMap((e) => net.edgeGantries[e]!)
      .map((g) => net.gantries[g]!.hex);
    const block = (province: number, fee: number, first: string, last: string, from: number) => ({
      province,
      gantryCount: 2,
      fee,
      mileageM: 10_000,
      entryGantry: first,
      entryTime: at(from),
      latestGantry: last,
      latestTime: at(from + 20),
      fitFailed: false,
      empty: false,
    });
    const neighbour = Math.floor(target / 3);
    const t = performance.now();
    const r = await decideExitFee(
      {
        card: { userType: 0, entry: { station: ids[a]!, time: entryTime, vehicleClass: 1 } },
        obu: null,
        cpc: {
          provinceCount: 2,
          blocks: [
            block(0x36, neighbour, 'FFFF00', border, 5),
            block(0x37, target - neighbour, local[0] ?? '000000', local.at(-1) ?? '000000', 30),
          ],
          pathGantries: local.slice(0, CPC_MAX_PATH_GANTRIES),
          entryTime,
        },
        vehicleClass: 1,
        vehicleKind: 0,
        exitStation: ids[b]!,
        exitTime: new Date(Date.UTC(2024, 0, 17, 7)),
        plate: '鲁A12345',
      },
      { tables, onlineFee: port, policy: { cpcBorderGantries: [border] } },
    );
    ctimes.push(performance.now() - t);
    if (r.ok) sink += r.value.fee;
  }
  const cpcP95 = p95(ctimes);
  rows.push({
    name: 'exit fee decision for a CPC p95 (2 fee blocks, card M × 0.8–1.7, online fallback)',
    value: Number(cpcP95.toFixed(3)),
    unit: 'ms',
    goal: '≤ 2 ms',
    pass: cpcP95 <= 2,
  });
  if (sink === -1) console.log(sink);
  return rows;
}
