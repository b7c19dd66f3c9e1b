import { describe, expect, it } from 'vitest';
import { channelOfCode } from './channels';

describe('channel by payment-code format (payments.md §2)', () => {
  it.each([
    ['134567890123456789', 'WECHAT'],
    ['104567890123456789', 'WECHAT'],
    ['2812345678901234', 'ALIPAY'],
    ['301234567890123456789012', 'ALIPAY'],
    ['6212345678901234567', 'UNIONPAY'],
    ['6212345678901234', 'UNIONPAY'],
  ])('%s is %s', (code, channel) => {
    expect(channelOfCode(code)).toBe(channel);
  });

  it.each([
    ['164567890123456789', 'WeChat length, prefix 16'],
    ['13456789012345678', '17 digits under a WeChat prefix'],
    ['311234567890123456', 'prefix 31'],
    ['281234567890123', '15 digits under an Alipay prefix'],
    ['2812345678901234567890123', '25 digits under an Alipay prefix'],
    ['621234567890123', 'UnionPay too short'],
    ['99TEST0000000001', 'foreign'],
    ['13456789012345678a', 'not digits'],
    ['', 'empty'],
  ])('%s is refused (%s)', (code) => {
    expect(channelOfCode(code)).toBeUndefined();
  });
});
