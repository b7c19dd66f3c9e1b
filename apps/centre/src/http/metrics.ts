import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/** One registry per centre instance (tests run several in one process). */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'tollpad_centre_' });
  return {
    registry,
    httpRequests: new Counter({
      name: 'tollpad_centre_http_requests_total',
      help: 'HTTP requests by route, method and status',
      labelNames: ['route', 'method', 'status'] as const,
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: 'tollpad_centre_http_request_duration_seconds',
      help: 'HTTP request duration',
      labelNames: ['route', 'method'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    recordIngest: new Counter({
      name: 'tollpad_centre_record_ingest_total',
      help: 'Exit records by outcome: created, replayed, or the refusal code',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    dbUnavailable: new Counter({
      name: 'tollpad_centre_db_unavailable_total',
      help: 'Requests answered 503 because the database was unavailable',
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
