import { SettlementQuery, SettlementReportSchema } from '@tollpad/station-api';
import type { Services } from '../../services/services';
import { errorResponses } from '../schemas';
import type { App } from '../types';

export function settlementRoutes(app: App, s: Services): void {
  app.get(
    '/payments/settlement',
    {
      config: { stationAccess: ['monitor', 'admin'] },
      schema: {
        tags: ['payments'],
        summary:
          '对账 — the platform’s settlement file of a Beijing day matched against the station’s payments; every difference listed, totals per channel',
        querystring: SettlementQuery,
        response: { 200: SettlementReportSchema, ...errorResponses },
      },
    },
    async (req) => s.settlement.day(req.query.date),
  );
}
