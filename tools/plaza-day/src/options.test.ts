import { describe, expect, it } from 'vitest';
import { PlazaDayError } from './errors';
import { DEFAULT_OPTIONS, parseOptions, usage } from './options';

function refused(argv: string[]): PlazaDayError {
  try {
    parseOptions(argv);
  } catch (e) {
    if (e instanceof PlazaDayError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('parseOptions', () => {
  it('gives the defaults with no arguments', () => {
    expect(parseOptions([])).toEqual(DEFAULT_OPTIONS);
  });

  it('reads both --name value and --name=value', () => {
    const o = parseOptions([
      '--exits',
      '300',
      '--handhelds=4',
      '--seed',
      '7',
      '--db=postgres',
      '--tear-rate',
      '0.05',
    ]);
    expect(o.exits).toBe(300);
    expect(o.handhelds).toBe(4);
    expect(o.seed).toBe(7);
    expect(o.db).toBe('postgres');
    expect(o.tearRate).toBe(0.05);
  });

  it('refuses out-of-range values with the range in a Chinese message', () => {
    const e = refused(['--handhelds', '0']);
    expect(e.code).toBe('PD_ERR_OPTION_RANGE');
    expect(e.field).toBe('handhelds');
    expect(e.messageZh).toContain('1 到 100');
    expect(refused(['--tear-rate', '0.7']).code).toBe('PD_ERR_OPTION_RANGE');
    expect(refused(['--exits', '2000000']).code).toBe('PD_ERR_OPTION_RANGE');
    expect(refused(['--seed', '-1']).code).toBe('PD_ERR_OPTION_RANGE');
  });

  it('refuses non-numbers, fractions for integers, missing values and unknown options', () => {
    expect(refused(['--exits', 'many']).code).toBe('PD_ERR_OPTION_VALUE');
    expect(refused(['--exits', '12.5']).code).toBe('PD_ERR_OPTION_VALUE');
    expect(refused(['--exits', '0x10']).code).toBe('PD_ERR_OPTION_VALUE');
    expect(refused(['--exits']).code).toBe('PD_ERR_OPTION_VALUE');
    expect(refused(['--db', 'mysql']).code).toBe('PD_ERR_OPTION_VALUE');
    expect(refused(['--colour', 'red']).code).toBe('PD_ERR_OPTION_UNKNOWN');
    expect(refused(['exits']).code).toBe('PD_ERR_OPTION_UNKNOWN');
  });

  it('refuses combinations that cannot run', () => {
    const e = refused(['--tear-rate', '0.5', '--swap-rate', '0.3', '--restart-rate', '0.2']);
    expect(e.code).toBe('PD_ERR_OPTION_RANGE');
    const k = refused(['--exits', '10', '--station-kills', '11']);
    expect(k.field).toBe('station-kills');
  });

  it('documents every option', () => {
    expect(usage()).toContain('--station-kills');
    expect(usage()).toContain('--report-dir');
    expect(usage()).toContain('--mix');
    expect(usage()).toContain('--pay');
    expect(usage()).toContain('--etc-cases');
  });

  it('defaults to the realistic mixed day with every fault at least 50 times, --mix etc=100 is the ETC-only day', () => {
    const d = parseOptions([]);
    expect(d.media).toEqual({ etc: 65, cpc: 29, none: 1, green: 3, arrears: 2 });
    expect(Object.values(d.pay).reduce((a, b) => a + b, 0)).toBe(100);
    for (const k of [
      'stationKills',
      'centreOutages',
      'slowLinks',
      'mqttLosses',
      'payLostAnswers',
      'passwordWaits',
      'platformOutages',
      'platformSlow',
      'stationKillsInPayment',
      'handheldRestartsInPayment',
      'cpcTears',
      'cpcUnreadable',
    ] as const)
      expect(d[k]).toBeGreaterThanOrEqual(50);
    const etc = parseOptions(['--mix', 'etc=100']);
    expect(etc.media).toBeNull();
    expect([etc.payLostAnswers, etc.cpcTears, etc.cpcUnreadable]).toEqual([0, 0, 0]);
    expect(refused(['--mix', 'etc=100', '--cpc-tears', '3']).field).toBe('cpc-tears');
    // A mix with no CPC drops the CPC faults' defaults, keeps the payment faults' (no-card vehicles pay).
    const none = parseOptions(['--mix', 'etc=90,none=10']);
    expect([none.cpcTears, none.payLostAnswers]).toEqual([0, 50]);
    const o = parseOptions(['--mix', 'normal']);
    expect(o.mix).toBe('normal');
    expect(parseOptions(['--etc-cases=normal']).mix).toBe('normal');
  });

  it('reads the media and payment shares', () => {
    const o = parseOptions([
      '--mix',
      'etc=65,cpc=35',
      '--pay=cash=40,qr-wechat=30,qr-alipay=15,qr-shown=10,etc-card=5',
    ]);
    expect(o.media).toEqual({ etc: 65, cpc: 35, none: 0, green: 0, arrears: 0 });
    expect(o.pay).toEqual({
      cash: 40,
      'qr-wechat': 30,
      'qr-alipay': 15,
      'qr-unionpay': 0,
      'qr-shown': 10,
      'etc-card': 5,
    });
  });

  it('refuses shares that do not add up, are out of range or unknown', () => {
    const sum = refused(['--mix', 'etc=60,cpc=30']);
    expect(sum.code).toBe('PD_ERR_OPTION_RANGE');
    expect(sum.field).toBe('mix');
    expect(sum.messageZh).toContain('之和应为 100，实为 90');
    expect(refused(['--pay', 'cash=120']).code).toBe('PD_ERR_OPTION_RANGE');
    expect(refused(['--pay', 'cash=-5,qr-wechat=105']).code).toBe('PD_ERR_OPTION_VALUE');
    expect(refused(['--mix', 'etc=50,bus=50']).code).toBe('PD_ERR_OPTION_VALUE');
    expect(refused(['--mix', 'etc=50,etc=50']).code).toBe('PD_ERR_OPTION_VALUE');
    expect(refused(['--mix', 'etc=x,cpc=100']).code).toBe('PD_ERR_OPTION_VALUE');
    expect(refused(['--mix', 'etc:100']).code).toBe('PD_ERR_OPTION_VALUE');
    expect(parseOptions(['--mix', 'etc=60,cpc=20,none=10,green=5,arrears=5']).media?.arrears).toBe(5);
  });
});
