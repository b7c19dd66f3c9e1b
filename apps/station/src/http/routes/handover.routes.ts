import { HandoverBody, HandoverReportSchema } from '@tollpad/station-api';
import type { Services } from '../../services/services';
import { errorResponses, IdParam } from '../schemas';
import { type App, principalOf } from '../types';

export function handoverRoutes(app: App, s: Services): void {
  app.post(
    '/shifts/:id/handover',
    {
      config: { stationAccess: ['collector', 'monitor'] },
      schema: {
        tags: ['shifts'],
        summary: '交班 — close the shift with the cash counted (once, audited); answers the hand-over report',
        params: IdParam,
        body: HandoverBody,
        response: { 200: HandoverReportSchema, ...errorResponses },
      },
    },
    async (req) => s.handover.handover(req.params.id, principalOf(req), req.body),
  );

  app.get(
    '/shifts/:id/handover',
    {
      config: { stationAccess: ['collector', 'monitor', 'admin'] },
      schema: {
        tags: ['shifts'],
        summary:
          'Hand-over report: cash expected vs counted, payTypes, QR per channel vs the platform’s settlement, receipts, CPC stock, open items',
        params: IdParam,
        response: { 200: HandoverReportSchema, ...errorResponses },
      },
    },
    async (req) => s.handover.report(req.params.id, principalOf(req)),
  );
}
