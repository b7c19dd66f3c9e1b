import { metricsRoute } from '@tollpad/server-kit';
import { sql } from 'kysely';
import { Type } from 'typebox';
import { CentreError } from '../../errors';
import type { Services } from '../../services/services';
import type { Metrics } from '../metrics';
import { errorResponses } from '../schemas';
import type { App } from '../types';

export function systemRoutes(app: App, s: Services, metrics: Metrics, metricsToken?: string): void {
  app.get(
    '/healthz',
    {
      config: { access: 'public' },
      schema: {
        tags: ['system'],
        summary: 'Liveness, database reachability, tariff and list versions in force',
        security: [],
        response: {
          200: Type.Object({
            status: Type.Literal('ok'),
            db: Type.String(),
            time: Type.String(),
            tariff: Type.Union([Type.String(), Type.Null()]),
            lists: Type.Record(Type.String(), Type.String()),
          }),
          ...errorResponses,
        },
      },
    },
    async () => {
      await sql`SELECT 1`.execute(s.db.db);
      return {
        status: 'ok' as const,
        db: s.db.ops.name,
        time: s.now().toISOString(),
        tariff: s.tariffs.list().current,
        lists: s.lists.versionsInForce() as Record<string, string>,
      };
    },
  );

  metricsRoute(app, metrics.registry, {
    config: { access: 'public' },
    errorResponses,
    scrapeToken: metricsToken,
    refuse: () => new CentreError('CTR_ERR_AUTH_REQUIRED', 'metrics: loopback or the scrape token only'),
  });
}
