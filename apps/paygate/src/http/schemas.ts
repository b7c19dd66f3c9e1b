import { errorResponsesOf } from '@tollpad/server-kit';
import { type Static, Type } from 'typebox';
import { ERROR_CATALOGUE, type ErrorCode } from '../errors';

/** The body of every error answer (README.md lists the codes). */
export const ErrorSchema = Type.Object(
  {
    statusCode: Type.Integer(),
    code: Type.Unsafe<ErrorCode>(Type.String({ enum: Object.keys(ERROR_CATALOGUE) })),
    error: Type.String(),
    message: Type.String(),
    detail: Type.Optional(Type.String()),
    requestId: Type.Optional(Type.String()),
  },
  { description: 'Error with a stable code (apps/paygate/README.md)' },
);

/** Error answers a route may give; merged into every route's response schema. */
export const errorResponses = errorResponsesOf(
  ErrorSchema,
  [400, 401, 403, 404, 408, 409, 410, 413, 414, 415, 431, 500, 503],
);

export const ChannelSchema = Type.Union(
  [Type.Literal('WECHAT'), Type.Literal('ALIPAY'), Type.Literal('UNIONPAY')],
  { description: 'WeChat-, Alipay- or UnionPay-like channel (payments.md §1)' },
);
export type Channel = Static<typeof ChannelSchema>;

/** WeChat-style trade states (payments.md §3, §10.7). */
export const OrderStateSchema = Type.Union([
  Type.Literal('NOTPAY'),
  Type.Literal('USERPAYING'),
  Type.Literal('SUCCESS'),
  Type.Literal('PAYERROR'),
  Type.Literal('CLOSED'),
  Type.Literal('REVOKED'),
  Type.Literal('REFUND'),
]);
export type OrderState = Static<typeof OrderStateSchema>;

const Id32 = Type.String({ pattern: '^[A-Za-z0-9_-]{1,32}$' });
export const OutTradeNoSchema = Type.String({
  pattern: '^[A-Za-z0-9_-]{1,32}$',
  description: "The merchant's order number (WeChat out_trade_no, ≤ 32 characters): one per attempt",
});
export const PayIdSchema = Type.String({
  pattern: '^[A-Za-z0-9_-]{1,32}$',
  description: 'The pay ID minted once per exit; every attempt under it shares it (payments.md §5)',
});
const Amount = Type.Integer({ minimum: 1, maximum: 100_000_000, description: 'fen' });
const Iso = Type.String({ description: 'ISO-8601 date-time' });

export const RefundSchema = Type.Object({
  kind: Type.Union([Type.Literal('REFUND'), Type.Literal('REVERSE')]),
  outRefundNo: Type.Union([Type.String(), Type.Null()], { description: 'null for a reverse' }),
  refundNo: Type.String({ description: "the platform's refund number" }),
  amount: Amount,
  reason: Type.Union([Type.String(), Type.Null()]),
  createdAt: Iso,
});
export type Refund = Static<typeof RefundSchema>;

export const FailureSchema = Type.Object({
  code: Type.String({ description: 'a PGW_ERR_* order-failure code' }),
  message: Type.String(),
});

export const OrderSchema = Type.Object({
  merchantId: Type.String(),
  outTradeNo: OutTradeNoSchema,
  payId: PayIdSchema,
  orderNo: Type.String({ description: "the platform's order number (transaction_id)" }),
  mode: Type.Union([Type.Literal('MICROPAY'), Type.Literal('QR')], {
    description: 'MICROPAY = 被扫 (the collector scans the driver), QR = 主扫 (the driver scans)',
  }),
  channel: Type.Union([ChannelSchema, Type.Null()], { description: 'null until a QR order is paid' }),
  amount: Amount,
  state: OrderStateSchema,
  createdAt: Iso,
  paidAt: Type.Union([Iso, Type.Null()]),
  closedAt: Type.Union([Iso, Type.Null()]),
  failure: Type.Union([FailureSchema, Type.Null()]),
  refundedAmount: Type.Integer({ minimum: 0 }),
  refunds: Type.Array(RefundSchema),
  qr: Type.Union([Type.Object({ token: Type.String(), url: Type.String(), expiresAt: Iso }), Type.Null()]),
  test: Type.Literal(true, { description: 'every order of this reference platform is TEST money' }),
});
export type Order = Static<typeof OrderSchema>;

export const MicropayBodySchema = Type.Object(
  {
    outTradeNo: OutTradeNoSchema,
    payId: PayIdSchema,
    amount: Amount,
    authCode: Type.String({ minLength: 1, maxLength: 64, description: "the driver's payment code (付款码)" }),
    subject: Type.Optional(Type.String({ maxLength: 128 })),
  },
  { additionalProperties: false },
);
export type MicropayBody = Static<typeof MicropayBodySchema>;

export const PrecreateBodySchema = Type.Object(
  {
    outTradeNo: OutTradeNoSchema,
    payId: PayIdSchema,
    amount: Amount,
    subject: Type.Optional(Type.String({ maxLength: 128 })),
  },
  { additionalProperties: false },
);
export type PrecreateBody = Static<typeof PrecreateBodySchema>;

export const DriverPayBodySchema = Type.Object(
  {
    wallet: ChannelSchema,
    /** The driver's wallet code (for per-code faults); one is made up when absent. */
    authCode: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  },
  { additionalProperties: false },
);
export type DriverPayBody = Static<typeof DriverPayBodySchema>;

export const RefundBodySchema = Type.Object(
  {
    outRefundNo: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }),
    amount: Amount,
    reason: Type.Optional(Type.String({ maxLength: 128 })),
  },
  { additionalProperties: false },
);
export type RefundBody = Static<typeof RefundBodySchema>;

export const OutTradeNoParams = Type.Object({ outTradeNo: OutTradeNoSchema });
export const Id32Schema = Id32;
