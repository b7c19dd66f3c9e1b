import { type NationalPayType, PAY_TYPE } from '@tollpad/domain';
import { type Refusal, refuse } from './errors';

/** [P] payments.md §1: tollpad's one internal payment method enum, mapped at the record boundary. */
export const PAYMENT_METHODS = [
  'CASH',
  'WECHAT',
  'ALIPAY',
  'UNIONPAY_QR',
  'UNIONPAY_CARD',
  'ECNY',
  'ETC_CARD',
  'OTHER_QR',
] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

/** The QR channels a scanned payment code (被扫) can belong to. */
export type QrChannel = 'WECHAT' | 'ALIPAY' | 'UNIONPAY_QR' | 'OTHER_QR';

/** [P] payments.md §1: WECHAT→7, ALIPAY→6, UNIONPAY_CARD→3, ETC_CARD→4, CASH→1, others→2. */
export function nationalPayTypeOf(method: PaymentMethod): NationalPayType {
  switch (method) {
    case 'WECHAT':
      return PAY_TYPE.WECHAT;
    case 'ALIPAY':
      return PAY_TYPE.ALIPAY;
    case 'UNIONPAY_CARD':
      return PAY_TYPE.UNIONPAY_CARD;
    case 'ETC_CARD':
      return PAY_TYPE.ETC_CARD;
    case 'CASH':
      return PAY_TYPE.CASH;
    default:
      return PAY_TYPE.OTHER_THIRD_PARTY;
  }
}

interface ChannelRule {
  readonly channel: Exclude<QrChannel, 'OTHER_QR'>;
  readonly prefix: RegExp;
  readonly minLength: number;
  readonly maxLength: number;
}

/**
 * Auth-code rules (payments.md §2): WeChat 18 digits starting 10–15 [S SDK]; Alipay 16–24 digits starting
 * 25–30 [S SDK]; UnionPay starting 62, 16–20 digits [I] (from gateway code, no official text; configurable).
 */
export const CHANNEL_RULES: readonly ChannelRule[] = [
  { channel: 'WECHAT', prefix: /^1[0-5]/, minLength: 18, maxLength: 18 },
  { channel: 'ALIPAY', prefix: /^(2[5-9]|30)/, minLength: 16, maxLength: 24 },
  { channel: 'UNIONPAY_QR', prefix: /^62/, minLength: 16, maxLength: 20 },
];

export interface ClassifyOptions {
  readonly rules?: readonly ChannelRule[];
  /** Channels this merchant accepts; a code of another channel is foreign. Default: all. */
  readonly accepted?: readonly QrChannel[];
  /**
   * [P] payments.md §2 "never reject a code locally only because of its length": with 'forward' (default)
   * a known prefix of an unusual length still goes to its channel, flagged; 'strict' refuses it.
   */
  readonly lengthPolicy?: 'forward' | 'strict';
}

export interface ClassifiedCode {
  readonly code: string;
  readonly channel: QrChannel;
  /** A known prefix whose length is outside that channel's rule (forwarded under 'forward'). */
  readonly lengthUnusual: boolean;
}

/** No channel's payment code is shorter or longer than these: outside, the scan is cut or run together. */
const ANY_MIN = 16;
const ANY_MAX = 24;

/**
 * Classifies a scanned 付款码 (a hardware scanner may add whitespace or a line end) or refuses it:
 * PAY_CODE_GARBLED (not digits), PAY_CODE_FOREIGN (a link or other QR content, or a channel not accepted),
 * PAY_CODE_WRONG_LENGTH (digits no channel could own). An unknown prefix goes on as OTHER_QR [P] §2.
 */
export function classifyAuthCode(
  scanned: string,
  options: ClassifyOptions = {},
): { readonly ok: true; readonly value: ClassifiedCode } | Refusal {
  const code = scanned.trim();
  if (/^[a-z][a-z0-9+.-]*:/i.test(code) || code.startsWith('{') || code.startsWith('<')) {
    return refuse('PAY_CODE_FOREIGN', { reason: 'link or structured QR content' });
  }
  if (!/^\d+$/.test(code)) return refuse('PAY_CODE_GARBLED');
  if (code.length < ANY_MIN || code.length > ANY_MAX) {
    return refuse('PAY_CODE_WRONG_LENGTH', { length: code.length });
  }
  const rules = options.rules ?? CHANNEL_RULES;
  const rule = rules.find((r) => r.prefix.test(code));
  const channel: QrChannel = rule?.channel ?? 'OTHER_QR';
  const lengthUnusual = rule !== undefined && (code.length < rule.minLength || code.length > rule.maxLength);
  if (lengthUnusual && options.lengthPolicy === 'strict') {
    return refuse('PAY_CODE_WRONG_LENGTH', { length: code.length });
  }
  if (options.accepted && !options.accepted.includes(channel)) {
    return refuse('PAY_CODE_FOREIGN', { reason: `channel ${channel} not accepted` });
  }
  return { ok: true, value: { code, channel, lengthUnusual } };
}
