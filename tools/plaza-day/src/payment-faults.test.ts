import { describe, expect, it } from 'vitest';
import { PlazaDayError } from './errors';
import type { Payer } from './handheld-payment';
import { PAYMENT_FAULT_NAMES, parseOptions } from './options';
import { PaymentFaultPlan, platformFaultOf, recoveryOf } from './payment-faults';
import { Prng } from './prng';

const qrPayer = (index: number): Payer => ({ index, channel: 'qr-wechat', qr: 'paid', tenderStep: 1 });
const cashPayer = (index: number): Payer => ({ index, channel: 'cash', qr: 'paid', tenderStep: 1 });

/** Every payment fault at 0 (the day's defaults are 50 each) but those `extra` names. */
const NO_PAYMENT_FAULTS = PAYMENT_FAULT_NAMES.flatMap((n) => [`--${n}`, '0']);
const options = (extra: string[]) =>
  parseOptions([
    '--exits',
    '100',
    '--mix',
    'etc=50,cpc=50',
    '--station-kills',
    '0',
    ...NO_PAYMENT_FAULTS,
    ...extra,
  ]);

describe('PaymentFaultPlan', () => {
  it('gives every counted fault to exactly one vehicle that can meet it, the same for a seed', () => {
    const o = options([
      '--pay-lost-answers',
      '3',
      '--password-waits',
      '2',
      '--handheld-restarts-in-payment',
      '2',
    ]);
    const draw = () => {
      const plan = new PaymentFaultPlan(o, new Prng(o.seed));
      const got: [number, string][] = [];
      for (let i = 0; i < 100; i++) {
        // Every third vehicle pays cash: it meets only a handheld restart.
        const payer = i % 3 === 0 ? cashPayer(i) : qrPayer(i);
        const f = plan.take(i, i % 5 === 0 ? 'etc' : 'cpc', payer);
        if (f) {
          got.push([i, f.kind]);
          if (payer.channel === 'cash') expect(f.kind).toBe('handheld-restart-in-payment');
        }
      }
      expect(plan.pending).toBe(0);
      return got;
    };
    const a = draw();
    expect(a.map(([, k]) => k).sort()).toEqual([
      'handheld-restart-in-payment',
      'handheld-restart-in-payment',
      'password-wait',
      'password-wait',
      'pay-lost-answer',
      'pay-lost-answer',
      'pay-lost-answer',
    ]);
    expect(a.every(([i]) => i % 5 !== 0)).toBe(true);
    expect(draw()).toEqual(a);
  });

  it('keeps a platform fault for a QR payer that would simply pay', () => {
    const o = options(['--platform-outages', '1']);
    const plan = new PaymentFaultPlan(o, new Prng(o.seed));
    for (let i = 0; i < 100; i++) {
      expect(plan.take(i, 'cpc', cashPayer(i))).toBeNull();
      expect(plan.take(i, 'cpc', { ...qrPayer(i), qr: 'password' })).toBeNull();
      expect(plan.take(i, 'green', qrPayer(i))).toBeNull();
    }
    expect(plan.pending).toBe(1);
    expect(plan.take(100, 'none', qrPayer(100))).toEqual({ kind: 'platform-outage' });
  });
});

describe('the platform fault of each payment fault', () => {
  it('arms the paygate on the driver’s code, once', () => {
    expect(platformFaultOf({ kind: 'pay-lost-answer' }, 'C')).toEqual({
      kind: 'lost-after-capture',
      authCode: 'C',
      times: 1,
    });
    expect(platformFaultOf({ kind: 'password-wait', outcome: 'abandon', polls: 2 }, 'C')).toMatchObject({
      kind: 'password',
      outcome: 'abandon',
    });
    expect(platformFaultOf({ kind: 'handheld-restart-in-payment' }, 'C')).toBeNull();
  });
  it('names the recovery by how the payment ended', () => {
    expect(
      recoveryOf({ kind: 'platform-outage' }, { phase: 'failed', reason: 'service-down' }, 'cash', 2),
    ).toBe('first attempt failed (service-down) → paid by cash (attempt 2)');
    expect(
      recoveryOf({ kind: 'platform-slow' }, { phase: 'succeeded', reason: 'timeout' }, 'qr-wechat', 1),
    ).toContain('the query found the capture');
  });
});

describe('payment fault options', () => {
  it('are refused without vehicles that pay at the handheld', () => {
    let e: unknown;
    try {
      parseOptions(['--exits', '100', '--mix', 'etc=100', '--station-kills', '0', '--password-waits', '2']);
    } catch (x) {
      e = x;
    }
    expect(e).toBeInstanceOf(PlazaDayError);
    expect((e as PlazaDayError).code).toBe('PD_ERR_OPTION_VALUE');
    expect((e as PlazaDayError).messageZh).toContain('--mix');
  });
  it('are range-checked against the vehicles', () => {
    expect(() => options(['--platform-slow', '101'])).toThrow(/PD_ERR_OPTION_RANGE/);
  });
});
