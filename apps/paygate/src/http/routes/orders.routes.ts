import { Type } from 'typebox';
import type { Platform } from '../../services/context';
import { query, queryByPayId } from '../../services/payments';
import { refund } from '../../services/refunds';
import { reverse } from '../../services/reversal';
import { signedMerchant } from '../merchant-auth';
import { errorResponses, OrderSchema, OutTradeNoParams, PayIdSchema, RefundBodySchema } from '../schemas';
import type { App } from '../types';
import { OrderListSchema } from './payments.routes';

const signed = [{ merchantSignature: [] }];

export function orderRoutes(app: App, p: Platform): void {
  app.get(
    '/v1/orders/:outTradeNo',
    {
      config: { paygateAccess: 'merchant', op: 'query' },
      schema: {
        tags: ['orders'],
        summary: 'Query one order; each query is one poll of a USERPAYING order',
        security: signed,
        params: OutTradeNoParams,
        response: { 200: OrderSchema, ...errorResponses },
      },
    },
    async (req) => query(p, signedMerchant(req).id, req.params.outTradeNo),
  );

  app.get(
    '/v1/orders',
    {
      config: { paygateAccess: 'merchant', op: 'query' },
      schema: {
        tags: ['orders'],
        summary: 'Every attempt under one pay ID, oldest first (not a poll)',
        security: signed,
        querystring: Type.Object({ payId: PayIdSchema }, { additionalProperties: false }),
        response: { 200: OrderListSchema, ...errorResponses },
      },
    },
    async (req) => ({ orders: queryByPayId(p, signedMerchant(req).id, req.query.payId) }),
  );

  app.post(
    '/v1/orders/:outTradeNo/reverse',
    {
      config: { paygateAccess: 'merchant', op: 'reverse' },
      schema: {
        tags: ['orders'],
        summary: 'Reverse (撤销): close an unpaid order or refund a paid one in full; idempotent',
        description:
          'Refused within 15 s of the order (PGW_ERR_REVERSE_TOO_SOON: query first), after the channel ' +
          'window (PGW_ERR_REVERSE_EXPIRED: WeChat 7 days, Alipay the same Beijing day, UnionPay 24 h) ' +
          'and once the order has refunds. Send an empty body or none.',
        security: signed,
        params: OutTradeNoParams,
        response: { 200: OrderSchema, ...errorResponses },
      },
    },
    async (req) => reverse(p, signedMerchant(req).id, req.params.outTradeNo),
  );

  app.post(
    '/v1/orders/:outTradeNo/refunds',
    {
      config: { paygateAccess: 'merchant', op: 'refund' },
      schema: {
        tags: ['orders'],
        summary:
          'Refund part or all of a paid order (≤ 50 refunds, within 365 days); idempotent by outRefundNo',
        security: signed,
        params: OutTradeNoParams,
        body: RefundBodySchema,
        response: { 200: OrderSchema, ...errorResponses },
      },
    },
    async (req) => refund(p, signedMerchant(req).id, req.params.outTradeNo, req.body),
  );
}
