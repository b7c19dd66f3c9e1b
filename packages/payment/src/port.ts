import type { QrChannel } from './channels';

/**
 * The platform port: what the station calls, whatever the platform (apps/paygate, a real channel adapter).
 * Every request carries the attempt's out-trade-no (`<payId>-<n>`) and every answer echoes it, so an
 * answer for another payment is discarded (payments.md §5, SC CheckPayResultValidity). `unknown` (timeout,
 * lost answer, SYSTEMERROR) is a first-class outcome: the caller must query, never guess.
 */
export interface PlatformUnknown {
  readonly kind: 'unknown';
  /** 'timeout' (no answer), 'system-error' (the platform said it does not know), 'unreadable'. */
  readonly reason: 'timeout' | 'system-error' | 'unreadable';
}

/** Why a platform definitely did not take the money (payments.md §3). */
export type DeclineReason =
  | 'insufficient'
  | 'code-invalid'
  | 'failed'
  | 'closed'
  | 'service-down'
  | 'signature';

export interface PayByCodeRequest {
  readonly outTradeNo: string;
  readonly payId: string;
  readonly amountFen: number;
  /** The driver's 付款码 (被扫), as classified by channels.ts. */
  readonly authCode: string;
  readonly channel: QrChannel;
  /** What the driver's app shows, e.g. '高速通行费 鲁A12345'. */
  readonly subject: string;
}

export interface PaidFacts {
  readonly outTradeNo: string;
  readonly amountFen: number;
  readonly platformOrderNo: string;
  /** ISO-8601. */
  readonly paidAt: string;
  readonly channel: QrChannel;
}

export type PayAnswer =
  | ({ readonly kind: 'paid' } & PaidFacts)
  | { readonly kind: 'user-paying'; readonly outTradeNo: string }
  | { readonly kind: 'declined'; readonly outTradeNo: string; readonly reason: DeclineReason }
  /** The out-trade-no is taken by another body (OUT_TRADE_NO_USED): the order there must be queried. */
  | { readonly kind: 'out-trade-no-used'; readonly outTradeNo: string }
  | PlatformUnknown;

export interface DynamicCodeRequest {
  readonly outTradeNo: string;
  readonly payId: string;
  readonly amountFen: number;
  readonly subject: string;
  /** Seconds the code shown to the driver (主扫) stays valid. */
  readonly expiresInSeconds: number;
}

export type DynamicCodeAnswer =
  | {
      readonly kind: 'created';
      readonly outTradeNo: string;
      readonly codeUrl: string;
      readonly expiresAt: string;
    }
  | { readonly kind: 'declined'; readonly outTradeNo: string; readonly reason: DeclineReason }
  | { readonly kind: 'out-trade-no-used'; readonly outTradeNo: string }
  | PlatformUnknown;

/** Order query (WeChat SUCCESS/NOTPAY/USERPAYING/CLOSED/REVOKED/REFUND; Alipay WAIT_BUYER_PAY/…). */
export type QueryAnswer =
  | ({ readonly kind: 'paid'; readonly refundedFen: number } & PaidFacts)
  | { readonly kind: 'paying'; readonly outTradeNo: string }
  | { readonly kind: 'not-paid'; readonly outTradeNo: string }
  | { readonly kind: 'not-found'; readonly outTradeNo: string }
  /** CLOSED or REVOKED: final, no money taken (or all of it given back by a reverse). */
  | { readonly kind: 'closed'; readonly outTradeNo: string }
  | PlatformUnknown;

/** Reverse/cancel: closes an unpaid order or refunds a paid one (payments.md §5). */
export type ReverseAnswer =
  | { readonly kind: 'closed'; readonly outTradeNo: string }
  | { readonly kind: 'reversed'; readonly outTradeNo: string; readonly amountFen: number }
  | { readonly kind: 'too-early'; readonly outTradeNo: string }
  | { readonly kind: 'expired'; readonly outTradeNo: string }
  | PlatformUnknown;

export interface RefundRequest {
  readonly outTradeNo: string;
  /** pay-id.ts refundNo: `<outTradeNo>R<n>`; a retry of a failed refund reuses it (WeChat out_refund_no). */
  readonly refundNo: string;
  readonly amountFen: number;
  readonly reason: string;
}

export type RefundAnswer =
  | { readonly kind: 'refunded'; readonly refundNo: string; readonly amountFen: number; readonly at: string }
  | {
      readonly kind: 'refused';
      readonly refundNo: string;
      readonly reason: 'not-paid' | 'exceeds' | 'too-many' | 'window';
    }
  /**
   * The refund number is the platform's already, for another refund (another amount or order): this request
   * made nothing, but what was made under the number is not what the station asked — a person must look.
   */
  | { readonly kind: 'number-used'; readonly refundNo: string }
  | PlatformUnknown;

/** One line of a platform's daily settlement file (payments.md §10 item 11). Amounts in fen. */
export interface SettlementLine {
  readonly kind: 'pay' | 'reverse' | 'refund';
  readonly outTradeNo: string;
  readonly platformOrderNo: string;
  /** The refund's number for kind 'refund'. */
  readonly refundNo?: string;
  readonly amountFen: number;
  readonly channel: QrChannel;
  /** ISO-8601. */
  readonly at: string;
}

export type SettlementAnswer =
  | { readonly kind: 'ready'; readonly day: string; readonly lines: readonly SettlementLine[] }
  | { readonly kind: 'not-yet'; readonly day: string; readonly availableAt: string }
  | PlatformUnknown;

export interface PaymentPort {
  /** 被扫: the collector scanned the driver's payment code. */
  payByCode(request: PayByCodeRequest): Promise<PayAnswer>;
  /** 主扫: a code the driver scans; the outcome comes by query. */
  createDynamicCode(request: DynamicCodeRequest): Promise<DynamicCodeAnswer>;
  query(outTradeNo: string): Promise<QueryAnswer>;
  reverse(outTradeNo: string): Promise<ReverseAnswer>;
  refund(request: RefundRequest): Promise<RefundAnswer>;
  /** The merchant's settlement file of a Beijing day 'YYYY-MM-DD'. */
  settlement(day: string): Promise<SettlementAnswer>;
}
