import { Type } from 'typebox';
import type { Platform } from '../../services/context';
import { driverPay, driverView } from '../../services/payments';
import { DriverPayBodySchema, errorResponses, FailureSchema, OrderStateSchema } from '../schemas';
import type { App } from '../types';

const TokenParams = Type.Object({ token: Type.String({ pattern: '^[A-Za-z0-9_-]{16,64}$' }) });

/** What the driver's app sees of a 主扫 order: who is asking and how much, never the merchant's numbers. */
const DriverViewSchema = Type.Object({
  merchantName: Type.String(),
  amount: Type.Integer({ description: 'fen' }),
  state: OrderStateSchema,
  expiresAt: Type.String(),
  test: Type.Literal(true),
});

/** The driver's side of 主扫, standing in for the wallet app that scans the code (the QR URL is its key). */
export function driverRoutes(app: App, p: Platform, merchantName: (id: string) => string): void {
  app.get(
    '/driver/qr/:token',
    {
      config: { paygateAccess: 'driver' },
      schema: {
        tags: ['driver'],
        summary: 'What the driver’s app shows after scanning a 主扫 code',
        security: [],
        params: TokenParams,
        response: { 200: DriverViewSchema, ...errorResponses },
      },
    },
    async (req) => {
      const { order } = driverView(p, req.params.token);
      return {
        merchantName: merchantName(order.merchantId),
        amount: order.amount,
        state: order.state,
        expiresAt: order.qr?.expiresAt ?? '',
        test: true as const,
      };
    },
  );

  app.post(
    '/driver/qr/:token/pay',
    {
      config: { paygateAccess: 'driver', op: 'driver-pay' },
      schema: {
        tags: ['driver'],
        summary: 'The driver pays a 主扫 order from a wallet (simulates the driver’s app)',
        description:
          'Pays the order (SUCCESS) or starts a password wait (USERPAYING) per the faults; a declined wallet ' +
          'leaves the order NOTPAY and answers `declined`.',
        security: [],
        params: TokenParams,
        body: DriverPayBodySchema,
        response: {
          200: Type.Object({
            state: OrderStateSchema,
            amount: Type.Integer(),
            declined: Type.Union([FailureSchema, Type.Null()]),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const { order, declined } = driverPay(p, req.params.token, req.body.wallet, req.body.authCode);
      return { state: order.state, amount: order.amount, declined };
    },
  );
}
