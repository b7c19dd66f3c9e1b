import { describe, expect, it } from 'vitest';
import { parseCommandLine } from './command-line';
import { loadConfig } from './config';
import { parseMerchants } from './merchants';

describe('configuration and command line', () => {
  it('defaults to the TEST merchants, HTTPS, 60 s codes and a 09:00 settlement', () => {
    const c = loadConfig({});
    expect(c.merchants.map((m) => [m.id, m.test, m.key.startsWith('TEST-')])).toEqual([
      ['TESTMCH0001', true, true],
      ['TESTMCH0002', true, true],
    ]);
    expect(c).toMatchObject({
      plainHttp: false,
      codeTtlSeconds: 60,
      settlementHour: 9,
      adminToken: undefined,
    });
  });

  it('reads merchants from PAYGATE_MERCHANTS and refuses short keys and bad IDs', () => {
    const [m] = parseMerchants('PLAZA01:k0123456789abcdef0123456789abcdef:Plaza one');
    expect(m).toEqual({
      id: 'PLAZA01',
      key: 'k0123456789abcdef0123456789abcdef',
      name: 'Plaza one',
      test: false,
    });
    expect(() => parseMerchants('PLAZA01:short')).toThrow(/≥ 32/);
    expect(() => parseMerchants('a b:k0123456789abcdef0123456789abcdef')).toThrow(/merchant ID/);
    expect(() => loadConfig({ PAYGATE_CODE_TTL_SECONDS: 'soon' })).toThrow(/whole number/);
  });

  it('parses --data and --help; refuses anything else', () => {
    expect(parseCommandLine([])).toEqual({ kind: 'run', dataFile: undefined });
    expect(parseCommandLine(['--data', 'x.json'])).toEqual({ kind: 'run', dataFile: 'x.json' });
    expect(parseCommandLine(['--data=y.json'])).toEqual({ kind: 'run', dataFile: 'y.json' });
    expect(parseCommandLine(['--data', 'x', '-h'])).toEqual({ kind: 'help' });
    expect(parseCommandLine(['--data'])).toMatchObject({ kind: 'error' });
    expect(parseCommandLine(['--frobnicate'])).toEqual({ kind: 'error', message: '未知参数：--frobnicate' });
  });
});
