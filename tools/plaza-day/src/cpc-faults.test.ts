import { describe, expect, it } from 'vitest';
import { CpcFaultPlan } from './cpc-faults';
import { PAYMENT_FAULT_NAMES, parseOptions } from './options';
import { Prng } from './prng';

describe('CpcFaultPlan', () => {
  const o = parseOptions([
    '--exits',
    '200',
    '--mix',
    'etc=40,cpc=40,green=10,arrears=10',
    '--station-kills',
    '0',
    '--cpc-tears',
    '6',
    '--cpc-unreadable',
    '3',
    ...PAYMENT_FAULT_NAMES.flatMap((n) => [`--${n}`, '0']),
  ]);
  const media = ['etc', 'cpc', 'green', 'arrears', 'none'] as const;
  const draw = () => {
    const plan = new CpcFaultPlan(o, new Prng(o.seed));
    const got = [];
    for (let i = 0; i < 200; i++) {
      const medium = media[i % media.length]!;
      const f = plan.take(i, medium);
      if (f) got.push({ i, medium, f });
    }
    expect(plan.pending).toBe(0);
    return got;
  };

  it('gives every counted fault once, to a vehicle with a CPC (unreadable: a plain CPC vehicle)', () => {
    const got = draw();
    expect(got.filter((g) => g.f.kind === 'cpc-tear')).toHaveLength(6);
    expect(got.filter((g) => g.f.kind === 'cpc-unreadable')).toHaveLength(3);
    for (const g of got) {
      expect(['etc', 'none']).not.toContain(g.medium);
      if (g.f.kind === 'cpc-unreadable') expect(g.medium).toBe('cpc');
      if (g.f.kind === 'cpc-tear') {
        expect(g.f.nth).toBeGreaterThanOrEqual(1);
        expect(g.f.nth).toBeLessThanOrEqual(5);
      }
    }
  });

  it('is fixed by the seed', () => {
    expect(draw()).toEqual(draw());
  });

  it('is refused without CPC vehicles', () => {
    expect(() =>
      parseOptions(['--exits', '100', '--mix', 'etc=100', '--station-kills', '0', '--cpc-tears', '1']),
    ).toThrow(/PD_ERR_OPTION_VALUE/);
  });
});
