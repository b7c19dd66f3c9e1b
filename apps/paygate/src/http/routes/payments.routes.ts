import { Type } from 'typebox';
import type { Platform } from '../../services/context';
import { micropay, precreate } from '../../services/payments';
import { signedMerchant } from '../merchant-auth';
import { errorResponses, MicropayBodySchema, OrderSchema, PrecreateBodySchema } from '../schemas';
import type { App } from '../types';

const signed = [{ merchantSignature: [] }];

export function paymentRoutes(app: App, p: Platform): void {
  app.post(
    '/v1/micropay',
    {
      config: { paygateAccess: 'merchant', op: 'micropay' },
      schema: {
        tags: ['payments'],
        summary: '被扫: pay by the driver’s payment code (channel by code format)',
        description:
          'Answers the order: SUCCESS, USERPAYING (poll GET /v1/orders/{outTradeNo}), or PAYERROR with its ' +
          '`failure` (insufficient funds, expired/used/unrecognised code). The same outTradeNo with the same ' +
          'amount and payId answers the stored order; another amount is refused (PGW_ERR_OUT_TRADE_NO_USED).',
        security: signed,
        body: MicropayBodySchema,
        response: { 200: OrderSchema, ...errorResponses },
      },
    },
    async (req) => micropay(p, signedMerchant(req).id, req.body),
  );

  app.post(
    '/v1/precreate',
    {
      config: { paygateAccess: 'merchant', op: 'precreate' },
      schema: {
        tags: ['payments'],
        summary: '主扫: an order with a dynamic code the driver scans',
        description:
          'Answers the order in NOTPAY with `qr.url` (the QR content to show) and `qr.expiresAt`. Poll it ' +
          'like any order; it closes when the code expires.',
        security: signed,
        body: PrecreateBodySchema,
        response: { 200: OrderSchema, ...errorResponses },
      },
    },
    async (req) => {
      const base = p.config.publicUrl ?? `${req.protocol}://${req.host}`;
      return precreate(p, signedMerchant(req).id, req.body, base);
    },
  );
}

export const OrderListSchema = Type.Object({ orders: Type.Array(OrderSchema) });
