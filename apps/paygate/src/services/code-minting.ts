import { randomInt } from 'node:crypto';
import type { CodeScenario } from '../fixtures/test-codes';
import type { Channel } from '../http/schemas';
import type { Platform } from './context';

const SUFFIX: Record<CodeScenario, string> = {
  paid: '0001',
  'password-then-paid': '0002',
  'password-then-abandon': '0003',
  insufficient: '0004',
};

/** Prefix and the number of random digits between it and the scenario suffix (payments.md §2 formats). */
const SHAPE: Record<Channel, { prefix: string; middle: number }> = {
  WECHAT: { prefix: '13', middle: 12 }, // 18 digits
  ALIPAY: { prefix: '28', middle: 10 }, // 16 digits
  UNIONPAY: { prefix: '62', middle: 13 }, // 19 digits
};

function digits(n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String(randomInt(10));
  return s;
}

/**
 * A fresh TEST payment code, as a driver's app would show it: it works once and expires after the code TTL
 * (§10.3). The suffix picks its scenario unless a fault is set for it.
 */
export function mintCode(
  p: Platform,
  channel: Channel,
  scenario: CodeScenario,
): { code: string; expiresAt: string } {
  const { prefix, middle } = SHAPE[channel];
  let code: string;
  do code = `${prefix}${digits(middle)}${SUFFIX[scenario]}`;
  while (p.store.mintedCodes.has(code) || p.store.usedCodes.has(code));
  const now = p.clock.now();
  p.store.mintedCodes.set(code, now.toISOString());
  p.store.save();
  return { code, expiresAt: new Date(now.getTime() + p.config.codeTtlSeconds * 1000).toISOString() };
}
