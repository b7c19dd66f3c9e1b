import type { FastifyContextConfig } from 'fastify';
import type { Registry } from 'prom-client';
import type { App } from './app';

/** The same error schema under each status an app's catalogue can answer (merged into every route). */
export function errorResponsesOf<S, const K extends readonly number[]>(
  schema: S,
  statuses: K,
): { [P in K[number]]: S } {
  return Object.fromEntries(statuses.map((s) => [s, schema])) as { [P in K[number]]: S };
}

/** `GET /metrics`: the registry in Prometheus text format; `config` carries the app's public access. */
export function metricsRoute(
  app: App,
  registry: Registry,
  o: { config: FastifyContextConfig; errorResponses: Record<number, unknown> },
): void {
  app.get(
    '/metrics',
    {
      config: o.config,
      schema: {
        tags: ['system'],
        summary: 'Prometheus metrics (text exposition format)',
        security: [],
        response: { 200: { type: 'string' }, ...o.errorResponses },
      },
    },
    async (_req, reply) => {
      reply.type(registry.contentType);
      return registry.metrics();
    },
  );
}
