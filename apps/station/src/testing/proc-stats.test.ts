import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { procStats, procStatsSince } from './proc-stats';

describe('process stats for the benchmarks', () => {
  it.runIf(process.platform === 'linux')(
    'counts the bytes and calls this process writes, and its main-thread CPU',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'tollpad-proc-TEST-'));
      try {
        const before = procStats();
        expect(before).toBeDefined();
        for (let i = 0; i < 20; i++) writeFileSync(join(dir, `f${i}`), Buffer.alloc(10_000, 1));
        // Spin until the process has used 80 ms of CPU, not 80 ms of wall time: on a loaded machine the
        // thread may be off the core for much of the wall time.
        let spin = 0;
        const cpu0 = process.cpuUsage();
        while (process.cpuUsage(cpu0).user < 80_000) spin++;
        const d = procStatsSince(before);
        expect(spin).toBeGreaterThan(0);
        expect(d?.writeBytes).toBeGreaterThanOrEqual(200_000);
        expect(d?.writeCalls).toBeGreaterThanOrEqual(20);
        // 80 ms of busy loop, nearly all on this thread, at the kernel's 10 ms tick resolution.
        expect(d?.mainThreadCpuMs).toBeGreaterThanOrEqual(40);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
