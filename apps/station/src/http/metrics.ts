import { createHttpMetrics } from '@tollpad/server-kit';
import { Counter } from 'prom-client';

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
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
