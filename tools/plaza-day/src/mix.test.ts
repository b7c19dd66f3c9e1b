import { describe, expect, it } from 'vitest';
import { drawShare, formatShares, MEDIA, PAY_CHANNELS, parseShares } from './mix';
import { Prng } from './prng';

describe('the traffic mix', () => {
  it('draws each kind near its share, and never one of share 0', () => {
    const shares = parseShares('mix', '车辆介质构成', MEDIA, 'etc=70,cpc=30');
    const rng = new Prng(42);
    const n = { etc: 0, cpc: 0, none: 0, green: 0, arrears: 0 };
    for (let i = 0; i < 10_000; i++) n[drawShare(rng, MEDIA, shares)]++;
    expect(n.etc).toBeGreaterThan(6_700);
    expect(n.etc).toBeLessThan(7_300);
    expect(n.cpc).toBe(10_000 - n.etc);
    expect(n.none + n.green + n.arrears).toBe(0);
  });

  it('gives the same draws for the same seed', () => {
    const shares = parseShares('pay', '支付方式构成', PAY_CHANNELS, 'cash=50,qr-wechat=25,qr-alipay=25');
    const draw = () => {
      const rng = new Prng(7);
      return Array.from({ length: 50 }, () => drawShare(rng, PAY_CHANNELS, shares));
    };
    expect(draw()).toEqual(draw());
  });

  it('writes the shares back as the command line takes them', () => {
    const s = parseShares('pay', '支付方式构成', PAY_CHANNELS, 'qr-alipay=20, cash=80');
    expect(formatShares(PAY_CHANNELS, s)).toBe('cash=80,qr-alipay=20');
  });
});
