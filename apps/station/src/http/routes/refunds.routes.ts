import {
  PaymentLookupQuery,
  PaymentRefParam,
  PaymentRefundsListSchema,
  PaymentRefundsSchema,
  RefundBody,
  RefundResultSchema,
} from '@tollpad/station-api';
import type { RefundService } from '../../services/payments/refund.service';
import { errorResponses } from '../schemas';
import { type App, principalOf } from '../types';

/** Refunds of captured QR payments: a monitor's or admin's, never a collector's (payments.md §5 [P]). */
export function refundRoutes(app: App, refunds: RefundService): void {
  const supervisors = { stationAccess: ['monitor', 'admin'] as const };

  app.get(
    '/payments',
    {
      config: supervisors,
      schema: {
        tags: ['payments'],
        summary: 'Captured QR payments by trade ID, pay ID, out-trade-no or plate, with what was refunded',
        querystring: PaymentLookupQuery,
        response: { 200: PaymentRefundsListSchema, ...errorResponses },
      },
    },
    async (req) => refunds.lookup(req.query.q, req.query.limit),
  );

  app.get(
    '/payments/:payId/refunds',
    {
      config: supervisors,
      schema: {
        tags: ['payments'],
        summary:
          'One captured QR payment (pay ID or exit trade ID): captured and refunded amounts, its refunds',
        params: PaymentRefParam,
        response: { 200: PaymentRefundsSchema, ...errorResponses },
      },
    },
    async (req) => refunds.of(req.params.payId),
  );

  app.post(
    '/payments/:payId/refunds',
    {
      config: supervisors,
      schema: {
        tags: ['payments'],
        summary:
          'Refund part or all of a captured QR payment, with a reason (audited); idempotent on refundRequestId',
        params: PaymentRefParam,
        body: RefundBody,
        response: { 200: RefundResultSchema, 201: RefundResultSchema, ...errorResponses },
      },
    },
    async (req, reply) => {
      const r = await refunds.request(principalOf(req), req.params.payId, req.body);
      return reply.status(r.replayed ? 200 : 201).send(r);
    },
  );
}
