/**
 * The payment package's one error catalogue: every stable code with its Chinese message (what the
 * collector sees: what to do next) and its English text (logs). `{name}` is filled from the params.
 */
export const PAYMENT_ERRORS = {
  // Pay ID and intent (pay-id.ts, intent.ts)
  PAY_ID_INVALID: { zh: '支付单号格式错误（{reason}），请重新发起支付', en: 'pay ID invalid: {reason}' },
  PAY_AMOUNT_INVALID: {
    zh: '支付金额无效（{amount}分），请重新算费',
    en: 'amount must be a positive integer fen, got {amount}',
  },
  PAY_AMOUNT_CHANGED: {
    zh: '支付金额与算费金额不一致（应付{expected}分，本次{actual}分），请重新算费后支付',
    en: 'pay ID {payId} is fixed at {expected} fen, refused {actual}',
  },
  PAY_ATTEMPT_OPEN: {
    zh: '上一笔支付尚未结束（{phase}），请等待结果，勿重复收费',
    en: 'attempt {attempt} is still {phase}; a new attempt needs a final non-paid one',
  },
  PAY_ALREADY_PAID: { zh: '该车辆已支付成功，请勿重复收费', en: 'pay ID {payId} already paid' },
  PAY_ATTEMPTS_EXHAUSTED: {
    zh: '支付尝试次数已达上限，请改用现金或ETC卡支付',
    en: 'no attempt number left after {attempt}',
  },
  // Scanned codes (channels.ts)
  PAY_CODE_GARBLED: { zh: '付款码无法识别，请让顾客刷新付款码后重新扫码', en: 'scanned code garbled' },
  PAY_CODE_FOREIGN: {
    zh: '这不是可受理的付款码，请让顾客打开微信、支付宝或云闪付的付款码',
    en: 'not an accepted payment code ({reason})',
  },
  PAY_CODE_WRONG_LENGTH: {
    zh: '付款码位数不对（{length}位），请重新扫码',
    en: 'payment code of {length} digits fits no channel',
  },
  // State machine (states.ts)
  PAY_TRANSITION_REFUSED: { zh: '支付状态异常，请联系监控', en: 'event {event} not allowed in {phase}' },
  PAY_CANCEL_BEFORE_QUERY: {
    zh: '支付结果未明，须先查询后才能撤销，请稍候',
    en: 'cancel refused in {phase}: an unclear outcome is queried first',
  },
  PAY_CANCEL_AFTER_SUCCESS: {
    zh: '支付已成功，不能撤销；如需退款请由监控发起',
    en: 'a succeeded payment is refunded, not cancelled',
  },
  PAY_ANSWER_CONFLICT: {
    zh: '支付平台结果前后矛盾，请联系监控核对，勿重复收费',
    en: '{answer} contradicts {phase}',
  },
  PAY_ANSWER_MISMATCH: {
    zh: '支付平台应答与本笔支付不符，已忽略，请稍候',
    en: 'answer for {got} (amount {gotAmount}) discarded; expected {expected} ({amount})',
  },
  // Cancel and refund rules (cancel-rules.ts)
  PAY_CANCEL_TOO_EARLY: {
    zh: '撤销需在支付请求{minSeconds}秒后进行，请稍候',
    en: 'cancel before {minSeconds} s after the pay call',
  },
  PAY_CANCEL_WINDOW_CLOSED: {
    zh: '已超过撤销期限，请由监控在对账后退款',
    en: 'cancel window closed for {channel}',
  },
  PAY_REFUND_NOT_PAID: { zh: '该笔支付未成功，无需退款', en: 'refund of a payment that is not succeeded' },
  PAY_REFUND_EXCEEDS: {
    zh: '退款金额超过可退金额（可退{left}分），请核对金额',
    en: 'refund {amount} exceeds refundable {left}',
  },
  PAY_REFUND_TOO_MANY: { zh: '该笔支付退款次数已达上限，请联系支付平台', en: 'more than {max} refunds' },
  PAY_REFUND_WINDOW_CLOSED: {
    zh: '已超过退款期限（{days}天），请联系支付平台线下处理',
    en: 'refund window of {days} days closed for {channel}',
  },
  PAY_REFUND_REASON_REQUIRED: { zh: '退款须填写原因并由监控授权', en: 'refund without reason or supervisor' },
  // The platform (runner outcomes)
  PAY_PLATFORM_UNKNOWN: {
    zh: '支付结果未明，正在查询，请勿放行、勿重复收费',
    en: 'no definite answer from the platform ({reason})',
  },
  PAY_PLATFORM_DOWN: { zh: '支付平台暂停服务，请改用现金或ETC卡支付', en: 'platform out of service' },
  PAY_PENDING: {
    zh: '支付结果暂未查明，已转后台继续处理；请改用现金并标记待核',
    en: 'payment left pending in {phase}: {reason}',
  },
} as const satisfies Record<string, { readonly zh: string; readonly en: string }>;

export type PaymentErrorCode = keyof typeof PAYMENT_ERRORS;
export type PaymentErrorParams = Readonly<Record<string, string | number>>;

/** A catalogue message with its `{name}` placeholders filled. */
export function paymentErrorMessage(
  code: PaymentErrorCode,
  lang: 'zh' | 'en',
  params: PaymentErrorParams = {},
): string {
  return PAYMENT_ERRORS[code][lang].replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

/** Every refusal of the payment package: a catalogue code, its params and its Chinese message. */
export class PaymentError extends Error {
  readonly messageZh: string;
  constructor(
    readonly code: PaymentErrorCode,
    readonly params: PaymentErrorParams = {},
  ) {
    super(paymentErrorMessage(code, 'en', params));
    this.name = 'PaymentError';
    this.messageZh = paymentErrorMessage(code, 'zh', params);
  }
}

export type Refusal = { readonly ok: false; readonly error: PaymentError };

export function refuse(code: PaymentErrorCode, params: PaymentErrorParams = {}): Refusal {
  return { ok: false, error: new PaymentError(code, params) };
}
