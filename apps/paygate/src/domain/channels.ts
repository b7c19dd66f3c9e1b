import type { Channel } from '../http/schemas';

/**
 * The channel of a 被扫 payment code by its format (payments.md §2):
 * - WeChat: 18 digits starting 10–15 [S SDK, quoting the micropay auth_code rule];
 * - Alipay: 16–24 digits starting 25–30 [S SDK, quoting alipay.trade.pay];
 * - UnionPay (云闪付): 62 then 14–18 digits [I] from public gateway code, no official text; configurable
 *   only by editing this table.
 * Anything else is not a code this platform takes (the caller answers CODE_UNRECOGNISED).
 */
const RULES: readonly { channel: Channel; pattern: RegExp }[] = [
  { channel: 'WECHAT', pattern: /^1[0-5]\d{16}$/ },
  { channel: 'ALIPAY', pattern: /^(2[5-9]|30)\d{14,22}$/ },
  { channel: 'UNIONPAY', pattern: /^62\d{14,18}$/ },
];

export function channelOfCode(authCode: string): Channel | undefined {
  return RULES.find((r) => r.pattern.test(authCode))?.channel;
}
