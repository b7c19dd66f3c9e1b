import { CatalogueError, type ErrorBody, errorBodyOf, type FailureCodes } from '@tollpad/server-kit';

/**
 * The paygate's one error catalogue (`PGW_ERR_<AREA>_<THING>`). Codes are stable: a station adapter maps them
 * to its outcomes (payments.md §3). Messages are Chinese because a collector may read them through the
 * station. A code is either an HTTP refusal (the request did nothing) or the `failure` of an order the
 * platform did create (a declined payment): README.md lists which, and a test keeps the two together.
 */
export const ERROR_CATALOGUE = {
  PGW_ERR_REQ_INVALID: { status: 400, message: '请求内容不正确' },
  PGW_ERR_REQ_NOT_FOUND: { status: 404, message: '接口不存在' },
  PGW_ERR_REQ_TOO_LARGE: { status: 413, message: '请求内容过大' },
  PGW_ERR_REQ_MEDIA_TYPE: { status: 415, message: '请求内容类型不支持' },
  PGW_ERR_REQ_TOO_DEEP: { status: 400, message: '请求内容嵌套层数过多' },
  PGW_ERR_REQ_URI_TOO_LONG: { status: 414, message: '请求地址过长' },
  PGW_ERR_REQ_HEADERS_TOO_LARGE: { status: 431, message: '请求头过大' },
  PGW_ERR_REQ_TIMEOUT: { status: 408, message: '请求发送超时，请重试' },
  PGW_ERR_SIGN_MISSING: { status: 401, message: '请求未签名，请检查收费站的商户号与密钥配置' },
  PGW_ERR_SIGN_UNKNOWN_MERCHANT: { status: 401, message: '商户号不存在，请检查收费站的商户号配置' },
  PGW_ERR_SIGN_INVALID: { status: 401, message: '签名错误，请检查收费站的商户密钥配置' },
  PGW_ERR_SIGN_STALE: { status: 401, message: '请求时间戳超出允许范围，请校准收费站时钟' },
  PGW_ERR_SIGN_REPLAYED: { status: 401, message: '请求随机串已使用过（疑似重放），已拒绝' },
  PGW_ERR_ADMIN_REQUIRED: { status: 401, message: '测试控制接口需要测试管理令牌' },
  PGW_ERR_ADMIN_LOOPBACK_ONLY: { status: 403, message: '测试控制接口只接受本机访问' },
  PGW_ERR_ADMIN_DISABLED: { status: 403, message: '测试控制接口未启用（未配置 PAYGATE_ADMIN_TOKEN）' },
  PGW_ERR_ORDER_NOT_FOUND: { status: 404, message: '订单不存在' },
  PGW_ERR_OUT_TRADE_NO_USED: { status: 409, message: '商户订单号已用于不同金额的订单，请使用新的订单号' },
  PGW_ERR_PAY_ALREADY_PAID: { status: 409, message: '该支付编号已支付成功，请勿重复收费' },
  PGW_ERR_PAY_ATTEMPT_OPEN: {
    status: 409,
    message: '该支付编号还有未结束的订单，请先查询或撤销该订单再重新发起',
  },
  PGW_ERR_QR_NOT_FOUND: { status: 404, message: '二维码不存在' },
  PGW_ERR_QR_EXPIRED: { status: 410, message: '二维码已过期，请收费员重新生成' },
  PGW_ERR_QR_PAID: { status: 409, message: '该二维码已支付' },
  PGW_ERR_REVERSE_TOO_SOON: { status: 409, message: '下单后 15 秒内不能撤销，请先查询订单' },
  PGW_ERR_REVERSE_EXPIRED: { status: 409, message: '订单已超过撤销期限，请改用退款' },
  PGW_ERR_REVERSE_REFUNDED: { status: 409, message: '订单已有退款，不能撤销' },
  PGW_ERR_REFUND_NOT_PAID: { status: 409, message: '订单未支付成功，不能退款' },
  PGW_ERR_REFUND_EXCEEDS: { status: 409, message: '退款金额超过可退金额' },
  PGW_ERR_REFUND_TOO_MANY: { status: 409, message: '该订单部分退款次数已达上限（50 次）' },
  PGW_ERR_REFUND_EXPIRED: { status: 409, message: '订单已超过退款期限（365 天）' },
  PGW_ERR_REFUND_NO_USED: { status: 409, message: '退款单号已用于不同内容的退款，请使用新的退款单号' },
  PGW_ERR_SETTLEMENT_NOT_READY: { status: 409, message: '对账单尚未生成，请在次日规定时间后下载' },
  PGW_ERR_SERVICE_DOWN: { status: 503, message: '支付平台暂停服务，请改用现金或 ETC 卡支付' },
  PGW_ERR_INTERNAL: { status: 500, message: '支付平台内部错误，请查询订单后再处理' },
  // Failures of an order that was created (its `failure`), never an HTTP refusal.
  PGW_ERR_PAY_INSUFFICIENT: { status: 402, message: '余额不足，请顾客换一个付款码或改用其他方式' },
  PGW_ERR_CODE_EXPIRED: { status: 422, message: '付款码已过期，请顾客刷新付款码' },
  PGW_ERR_CODE_USED: { status: 422, message: '付款码已使用，请顾客刷新付款码' },
  PGW_ERR_CODE_UNRECOGNISED: { status: 422, message: '付款码无法识别（非微信、支付宝、云闪付付款码）' },
  PGW_ERR_PAY_ABANDONED: { status: 402, message: '顾客未输入支付密码，订单已关闭，请重新收费' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

/** The codes that only ever appear as an order's `failure` (the platform created the order and declined it). */
export const ORDER_FAILURE_CODES = [
  'PGW_ERR_PAY_INSUFFICIENT',
  'PGW_ERR_CODE_EXPIRED',
  'PGW_ERR_CODE_USED',
  'PGW_ERR_CODE_UNRECOGNISED',
  'PGW_ERR_PAY_ABANDONED',
] as const satisfies readonly ErrorCode[];
export type OrderFailureCode = (typeof ORDER_FAILURE_CODES)[number];

/** The code each kind of failure outside the app's own errors is answered with (server-kit failureKind). */
export const FAILURE_CODES: FailureCodes<ErrorCode> = {
  validation: 'PGW_ERR_REQ_INVALID',
  unavailable: 'PGW_ERR_SERVICE_DOWN',
  'too-large': 'PGW_ERR_REQ_TOO_LARGE',
  'too-deep': 'PGW_ERR_REQ_TOO_DEEP',
  'uri-too-long': 'PGW_ERR_REQ_URI_TOO_LONG',
  'headers-too-large': 'PGW_ERR_REQ_HEADERS_TOO_LARGE',
  timeout: 'PGW_ERR_REQ_TIMEOUT',
  'media-type': 'PGW_ERR_REQ_MEDIA_TYPE',
  'rate-limited': 'PGW_ERR_REQ_INVALID',
  client: 'PGW_ERR_REQ_INVALID',
  internal: 'PGW_ERR_INTERNAL',
};

/** The only error type the paygate throws on purpose; anything else is mapped by the error handler. */
export class PaygateError extends CatalogueError<ErrorCode> {
  constructor(code: ErrorCode, detail?: string, options?: { cause?: unknown }) {
    super(ERROR_CATALOGUE, code, detail, options);
    this.name = 'PaygateError';
  }
}

export function isPaygateError(e: unknown): e is PaygateError {
  return e instanceof PaygateError;
}

export function errorBody(e: PaygateError, requestId?: string): ErrorBody<ErrorCode> {
  return errorBodyOf(e, requestId);
}
