/**
 * Isomorphic card benchmarks (no node: imports; performance.now()). The node:crypto baseline comparison is in
 * bench-node.ts, which `npm run bench` loads.
 *
 * APDU count per exit: counted after SELECT 1001 (sent once per card session), see purchase/exit-purchase.ts.
 * The CPC exit has no such session select: its count is every APDU of read() + close() (cpc/cpc-exit.ts).
 */

import type { BenchRow } from '@tollpad/domain/bench';
import { makeCpcRig } from './cpc/cpc-exit-rig';
import type { BlockCipher } from './crypto/des';
import { Des, TripleDes } from './crypto/des';
import { ecbEncrypt } from './crypto/modes';
import { Sm4 } from './crypto/sm4';
import { chargeDecision, makeRig } from './purchase/test-rig';

export type { BenchRow } from '@tollpad/domain/bench';

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Card and PSAM APDUs of one exit after the card was selected. */
async function apduCount(cardType: 'stored-value' | 'account'): Promise<{ card: number; psam: number }> {
  const rig = await makeRig({ algorithm: '3des', cardType, balance: 1_000_000 });
  await rig.exit.exit(() => chargeDecision(100)); // the first exit also selects 1001
  const card0 = rig.exit.channel.commandCount;
  const psam0 = rig.psam.channel.commandCount;
  await rig.exit.exit(() => chargeDecision(100));
  return { card: rig.exit.channel.commandCount - card0, psam: rig.psam.channel.commandCount - psam0 };
}

/**
 * The fewest APDUs a CPC exit can take per cpc-card.md: §9 step 1's reads (SELECT 3F00, MF/EF01, MF/EF02,
 * SELECT DF01, DF01/EF01, EF02, and EF04 in ⌈n/11⌉ reads, §2.6), §9 step 6's authentication (801A, SELECT
 * DF01, 0084, 80FA, 0082) and write (00D6, 00B0 read-back). §3 step 1's PSAM SELECT DF01 is not in it: §9
 * takes the PSAM as already in DF01.
 */
function cpcExitApduMinimum(provinces: number): number {
  return 6 + Math.ceil(provinces / 11) + 5 + 2;
}

/** Card and PSAM APDUs of one CPC exit (read + authenticate + write) on the §9 card (2 provinces). */
async function cpcApduCount(): Promise<{ card: number; psam: number; provinces: number }> {
  const rig = await makeCpcRig();
  const card0 = rig.exit.channel.commandCount;
  const psam0 = rig.psam.channel.commandCount;
  const files = await rig.exit.read();
  const out = await rig.exit.close();
  if (out.outcome !== 'written') throw new Error(`bench CPC exit not written: ${out.reason}`);
  return {
    card: rig.exit.channel.commandCount - card0,
    psam: rig.psam.channel.commandCount - psam0,
    provinces: files.pass[0] ?? 0,
  };
}

async function cpcReadTimes(runs: number): Promise<number[]> {
  const rig = await makeCpcRig();
  const times: number[] = [];
  for (let i = 0; i < 50; i++) await rig.exit.read(); // JIT warm-up, not measured
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await rig.exit.read();
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b);
}

async function exitTimes(algorithm: '3des' | 'sm4', runs: number): Promise<number[]> {
  const rig = await makeRig({ algorithm, cardType: 'account', balance: 1_000_000 });
  const times: number[] = [];
  for (let i = 0; i < 50; i++) await rig.exit.exit(() => chargeDecision(100)); // JIT warm-up, not measured
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await rig.exit.exit(() => chargeDecision(100));
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b);
}

/** Pure-TS ECB throughput in MB/s over a 64 KiB buffer, best of a few rounds. */
export function pureThroughput(cipher: BlockCipher, bytes = 65_536, minMs = 150): number {
  const data = new Uint8Array(bytes).map((_, i) => i & 0xff);
  let best = 0;
  const end = performance.now() + minMs;
  while (performance.now() < end) {
    const t0 = performance.now();
    ecbEncrypt(cipher, data);
    const ms = performance.now() - t0;
    if (ms > 0) best = Math.max(best, bytes / 1e6 / (ms / 1000));
  }
  return best;
}

export const BENCH_KEY16 = Uint8Array.from({ length: 16 }, (_, i) => (i * 37 + 11) & 0xff);

export async function runIsomorphicCardBenchmarks(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const acc = await apduCount('account');
  rows.push({
    name: 'card: APDUs per exit (account card, after SELECT 1001)',
    value: acc.card + acc.psam,
    unit: `APDU (${acc.card} card + ${acc.psam} PSAM)`,
    goal: '= 7 (5 card + 2 PSAM)',
    pass: acc.card === 5 && acc.psam === 2,
  });
  const sv = await apduCount('stored-value');
  rows.push({
    name: 'card: APDUs per exit (stored-value card: + GET BALANCE)',
    value: sv.card + sv.psam,
    unit: `APDU (${sv.card} card + ${sv.psam} PSAM)`,
    goal: '= 8 (balance checked before INITIALIZE)',
    pass: sv.card === 6 && sv.psam === 2,
  });
  const cpc = await cpcApduCount();
  const cpcMin = cpcExitApduMinimum(cpc.provinces);
  rows.push({
    name: `card: CPC exit APDUs (read + authenticate + write, §9 card: ${cpc.provinces} provinces)`,
    value: cpc.card + cpc.psam,
    unit: `APDU (${cpc.card} card + ${cpc.psam} PSAM)`,
    goal: `≤ ${cpcMin + 1}: reference minimum ${cpcMin} (cpc-card.md §9: 7 reads + 5 authenticate + 2 write) + §3 step 1 PSAM SELECT DF01`,
    pass: cpc.card + cpc.psam <= cpcMin + 1,
  });
  for (const alg of ['3des', 'sm4'] as const) {
    const t = await exitTimes(alg, 300);
    rows.push({
      name: `card: simulated exit purchase ${alg} p50`,
      value: percentile(t, 50),
      unit: 'ms',
      goal: '< 5 ms',
      pass: percentile(t, 50) < 5,
    });
    rows.push({
      name: `card: simulated exit purchase ${alg} p95`,
      value: percentile(t, 95),
      unit: 'ms',
      goal: '< 50 ms (shared 2-core box)',
      pass: percentile(t, 95) < 50,
    });
  }
  const cpcRead = await cpcReadTimes(300);
  rows.push({
    name: 'card: simulated CPC read (5 files, §9 card) p95',
    value: percentile(cpcRead, 95),
    unit: 'ms',
    goal: '< 50 ms (shared 2-core box)',
    pass: percentile(cpcRead, 95) < 50,
  });
  rows.push({
    name: 'card: pure-TS DES-ECB',
    value: pureThroughput(new Des(BENCH_KEY16.subarray(0, 8))),
    unit: 'MB/s',
  });
  rows.push({
    name: 'card: pure-TS 3DES-ECB (2-key)',
    value: pureThroughput(new TripleDes(BENCH_KEY16)),
    unit: 'MB/s',
  });
  rows.push({ name: 'card: pure-TS SM4-ECB', value: pureThroughput(new Sm4(BENCH_KEY16)), unit: 'MB/s' });
  return rows;
}
