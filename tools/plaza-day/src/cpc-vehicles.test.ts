import { classifyAuthCode } from '@tollpad/payment';
import { describe, expect, it } from 'vitest';
import { cpcIdOf, makeCpcVehicle, qrCodeOf, tenderedFor } from './cpc-vehicles';
import { DEFAULT_PAY_SHARES } from './mix';
import { Prng } from './prng';

describe('the CPC vehicles of a mixed day', () => {
  it('gives every vehicle its own TEST CPC and plate, the same for the same seed', () => {
    const a = makeCpcVehicle(12, new Prng(5), DEFAULT_PAY_SHARES);
    const b = makeCpcVehicle(12, new Prng(5), DEFAULT_PAY_SHARES);
    expect(a).toEqual(b);
    expect(a.spec.cpcId).toBe('3701990000000012');
    expect(cpcIdOf(999_999)).toMatch(/^[0-9A-F]{16}$/);
    expect(makeCpcVehicle(13, new Prng(5), DEFAULT_PAY_SHARES).spec.plate).not.toBe(a.spec.plate);
  });

  it('writes each QR code in its channel’s format, unique per vehicle and attempt', () => {
    const channels = { 'qr-wechat': 'WECHAT', 'qr-alipay': 'ALIPAY', 'qr-unionpay': 'UNIONPAY_QR' } as const;
    const seen = new Set<string>();
    for (const [ch, expected] of Object.entries(channels) as [keyof typeof channels, string][]) {
      for (const index of [0, 7, 999_999]) {
        for (const attempt of [1, 2]) {
          const code = qrCodeOf(ch, index, attempt, 'paid');
          const c = classifyAuthCode(code);
          expect(c.ok && c.value.channel, code).toBe(expected);
          expect(c.ok && c.value.lengthUnusual, code).toBe(false);
          seen.add(code);
        }
      }
    }
    expect(seen.size).toBe(18);
    // The code carries the driver's scenario in apps/paygate's suffixes.
    expect(qrCodeOf('qr-wechat', 3, 1, 'insufficient').endsWith('0004')).toBe(true);
    expect(qrCodeOf('qr-wechat', 3, 2, 'password').endsWith('0002')).toBe(true);
    expect(qrCodeOf('qr-wechat', 3, 2, 'paid').endsWith('0001')).toBe(true);
  });

  it('hands over the fee rounded up to the driver’s note', () => {
    expect(tenderedFor(2_350, 1)).toBe(2_350);
    expect(tenderedFor(2_350, 5_000)).toBe(5_000);
    expect(tenderedFor(10_000, 10_000)).toBe(10_000);
    expect(tenderedFor(0, 1_000)).toBe(0);
  });
});
