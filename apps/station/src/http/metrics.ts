import { createHttpMetrics } from '@tollpad/server-kit';
import { Counter, Histogram } from 'prom-client';

/** One registry per server instance (tests run several in one process). */
export function createMetrics() {
  const base = createHttpMetrics('tollpad_station_');
  return {
    ...base,
    exitCommits: new Counter({
      name: 'tollpad_station_exit_commits_total',
      help: 'Exit records committed (replays not counted)',
      registers: [base.registry],
    }),
    // SQLite only: every acknowledged write waited for one of these, so a slow disk shows here first.
    walFlushSeconds: new Histogram({
      name: 'tollpad_station_wal_flush_seconds',
      help: 'SQLite WAL flushes (fdatasync) before writes are acknowledged',
      buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 1],
      registers: [base.registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
