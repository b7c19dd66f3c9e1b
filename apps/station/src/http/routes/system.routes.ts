import { metricsRoute } from '@tollpad/server-kit';
import { HealthSchema } from '@tollpad/station-api';
import { sql } from 'kysely';
import { StationError } from '../../errors';
import type { Services } from '../../services/services';
import type { Metrics } from '../metrics';
import { errorResponses } from '../schemas';
import type { App } from '../types';

export function systemRoutes(
  app: App,
  s: Services,
  metrics: Metrics,
  metricsToken: string | undefined,
): void {
  app.get(
    '/healthz',
    {
      config: { stationAccess: 'public' },
      schema: {
        tags: ['system'],
        summary: 'Liveness and database reachability',
        security: [],
        response: { 200: HealthSchema, ...errorResponses },
      },
    },
    async () => {
      await sql`SELECT 1`.execute(s.db.db);
      return { status: 'ok' as const, db: s.db.ops.name, time: s.now().toISOString() };
    },
  );

  metricsRoute(app, metrics.registry, {
    config: { stationAccess: 'public' },
    errorResponses,
    scrapeToken: metricsToken,
    refuse: () => new StationError('STN_ERR_AUTH_REQUIRED', 'metrics: loopback or the scrape token only'),
  });
}
