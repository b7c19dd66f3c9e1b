import { ReceiptLogBody, ReceiptLogSchema, TradeIdParam } from '@tollpad/station-api';
import type { Services } from '../../services/services';
import { errorResponses } from '../schemas';
import { type App, principalOf } from '../types';

export function receiptRoutes(app: App, s: Services): void {
  app.post(
    '/records/:tradeId/receipts',
    {
      config: { stationAccess: ['collector', 'monitor'] },
      schema: {
        tags: ['records'],
        summary: '回单 — log a print (or 重打 reprint) of a committed exit’s receipt',
        params: TradeIdParam,
        body: ReceiptLogBody,
        response: { 201: ReceiptLogSchema, ...errorResponses },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await s.receipts.log(principalOf(req), req.params.tradeId, req.body.kind)),
  );
}
