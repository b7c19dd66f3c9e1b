import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/**
 * One registry per server instance (tests run several in one process), with the metrics every server
 * has; an app adds its own counters to `registry`. `prefix` is e.g. 'tollpad_station_'.
 */
export function createHttpMetrics(prefix: string) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix });
  return {
    registry,
    httpRequests: new Counter({
      name: `${prefix}http_requests_total`,
      help: 'HTTP requests by route, method and status',
      labelNames: ['route', 'method', 'status'] as const,
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: `${prefix}http_request_duration_seconds`,
      help: 'HTTP request duration',
      labelNames: ['route', 'method'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    dbUnavailable: new Counter({
      name: `${prefix}db_unavailable_total`,
      help: 'Requests answered 503 because the database was unavailable',
      registers: [registry],
    }),
  };
}

export type HttpMetrics = ReturnType<typeof createHttpMetrics>;
