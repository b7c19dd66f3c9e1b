import { readFileSync } from 'node:fs';

/**
 * What Linux counts for this process, for the benchmarks: CPU of the main (event-loop) thread alone, and
 * the bytes and calls of its writes (files and sockets, all threads). Steadier than wall-clock numbers on a
 * machine whose speed drifts: they count work, not time. Undefined where /proc is not Linux's.
 */
export interface ProcStats {
  mainThreadCpuMs: number;
  writeBytes: number;
  writeCalls: number;
}

export function procStats(): ProcStats | undefined {
  try {
    // Fields after the command name: utime and stime are the 12th and 13th, in clock ticks (100 Hz).
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const io = readFileSync('/proc/self/io', 'utf8');
    const count = (key: string) => Number(new RegExp(`^${key}: (\\d+)$`, 'm').exec(io)?.[1]);
    const s = {
      mainThreadCpuMs: (Number(fields[11]) + Number(fields[12])) * 10,
      writeBytes: count('wchar'),
      writeCalls: count('syscw'),
    };
    return Object.values(s).every(Number.isFinite) ? s : undefined;
  } catch {
    return undefined;
  }
}

/** The difference of two readings (undefined if either is). */
export function procStatsSince(before: ProcStats | undefined): ProcStats | undefined {
  const after = procStats();
  if (!before || !after) return undefined;
  return {
    mainThreadCpuMs: after.mainThreadCpuMs - before.mainThreadCpuMs,
    writeBytes: after.writeBytes - before.writeBytes,
    writeCalls: after.writeCalls - before.writeCalls,
  };
}
