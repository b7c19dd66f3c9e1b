import type { FastifyContextConfig } from 'fastify';
import type { Registry } from 'prom-client';
import type { App } from './app';
import { mayScrape } from './scrape-access';

/** The same error schema under each status an app's catalogue can answer (merged into every route). */
export function errorResponsesOf<S, const K extends readonly number[]>(
  schema: S,
  statuses: K,
): { [P in K[number]]: S } {
  return Object.fromEntries(statuses.map((s) => [s, schema])) as { [P in K[number]]: S };
}

/**
 * `GET /metrics`: the registry in Prometheus text format; `config` carries the app's public access (the
 * route has its own gate: loopback or the scrape token, else `refuse()` is thrown).
 */
export function metricsRoute(
  app: App,
  registry: Registry,
  o: {
    config: FastifyContextConfig;
    errorResponses: Record<number, unknown>;
    scrapeToken: string | undefined;
    refuse: () => Error;
  },
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
      onRequest: async (req) => {
        if (!mayScrape(req, o.scrapeToken)) throw o.refuse();
      },
    },
    async (_req, reply) => {
      reply.type(registry.contentType);
      return registry.metrics();
    },
  );
}
