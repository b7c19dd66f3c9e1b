import { createHttpMetrics } from '@tollpad/server-kit';
import { Counter } from 'prom-client';

/** One registry per centre instance (tests run several in one process). */
export function createMetrics() {
  const base = createHttpMetrics('tollpad_centre_');
  return {
    ...base,
    recordIngest: new Counter({
      name: 'tollpad_centre_record_ingest_total',
      help: 'Exit records by outcome: created, replayed, or the refusal code',
      labelNames: ['outcome'] as const,
      registers: [base.registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
