/**
 * Node-only part of the card benchmarks: the pure-TS ciphers against node:crypto (OpenSSL). Not exported from
 * index.ts. Single DES has no default-provider cipher in OpenSSL 3, so its baseline is des-ede-ecb with
 * K1 = K2 (three DES passes): that row's ratio is flattering and says so.
 */
import { createCipheriv } from 'node:crypto';
import { BENCH_KEY16, type BenchRow, runIsomorphicCardBenchmarks } from './bench';

export type { BenchRow };

function nodeThroughput(name: string, key: Uint8Array, bytes = 65_536, minMs = 150): number {
  const data = new Uint8Array(bytes).map((_, i) => i & 0xff);
  let best = 0;
  const end = performance.now() + minMs;
  while (performance.now() < end) {
    const t0 = performance.now();
    const c = createCipheriv(name, key, null);
    c.setAutoPadding(false);
    c.update(data);
    c.final();
    const ms = performance.now() - t0;
    if (ms > 0) best = Math.max(best, bytes / 1e6 / (ms / 1000));
  }
  return best;
}

export async function runCardBenchmarks(): Promise<BenchRow[]> {
  const rows = await runIsomorphicCardBenchmarks();
  const k8x2 = new Uint8Array(16);
  k8x2.set(BENCH_KEY16.subarray(0, 8));
  k8x2.set(BENCH_KEY16.subarray(0, 8), 8);
  const baselines: Record<string, { mbps: number; label: string }> = {
    'card: pure-TS DES-ECB': {
      mbps: nodeThroughput('des-ede-ecb', k8x2),
      label: 'node:crypto des-ede-ecb K1=K2',
    },
    'card: pure-TS 3DES-ECB (2-key)': {
      mbps: nodeThroughput('des-ede-ecb', BENCH_KEY16),
      label: 'node:crypto des-ede-ecb',
    },
    'card: pure-TS SM4-ECB': { mbps: nodeThroughput('sm4-ecb', BENCH_KEY16), label: 'node:crypto sm4-ecb' },
  };
  return rows.map((r) => {
    const b = baselines[r.name];
    if (!b) return r;
    return { ...r, baseline: `${b.label}: ${b.mbps.toFixed(1)} MB/s`, ratio: r.value / b.mbps };
  });
}
