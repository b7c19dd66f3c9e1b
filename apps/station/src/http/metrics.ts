import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/** One registry per server instance (tests run several in one process). */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'tollpad_station_' });
  return {
    registry,
    httpRequests: new Counter({
      name: 'tollpad_station_http_requests_total',
      help: 'HTTP requests by route, method and status',
      labelNames: ['route', 'method', 'status'] as const,
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: 'tollpad_station_http_request_duration_seconds',
      help: 'HTTP request duration',
      labelNames: ['route', 'method'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    exitCommits: new Counter({
      name: 'tollpad_station_exit_commits_total',
      help: 'Exit records committed (replays not counted)',
      registers: [registry],
    }),
    dbUnavailable: new Counter({
      name: 'tollpad_station_db_unavailable_total',
      help: 'Requests answered 503 because the database was unavailable',
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
