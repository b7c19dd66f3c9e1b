import { describe, expect, it } from 'vitest';
import type { SettlementLine } from './port';
import { matchSettlement, type StationLine, stationLinesOf } from './settlement';
import { testAttempt, testIntent } from './testing/harness';

const P = 'TP370124435B2024011715322746';
const Q = 'TP370124435B2024011715322747';
const line = (
  kind: SettlementLine['kind'],
  outTradeNo: string,
  amountFen: number,
  refundNo?: string,
): SettlementLine => ({
  kind,
  outTradeNo,
  platformOrderNo: `TEST-${outTradeNo}`,
  amountFen,
  channel: 'WECHAT',
  at: '2024-01-17T07:20:10Z',
  ...(refundNo ? { refundNo } : {}),
});
const mine = (l: SettlementLine): StationLine => ({
  kind: l.kind,
  outTradeNo: l.outTradeNo,
  amountFen: l.amountFen,
  ...(l.refundNo ? { refundNo: l.refundNo } : {}),
});

describe('matchSettlement', () => {
  it('matches identical days with no difference', () => {
    const platform = [
      line('pay', `${P}-1`, 3500),
      line('refund', `${P}-1`, 500, `${P}-1-R1`),
      line('pay', `${Q}-2`, 800),
    ];
    expect(matchSettlement(platform, platform.map(mine))).toEqual({ matched: 3, differences: [] });
  });

  it('lists every difference by kind', () => {
    const platform = [line('pay', `${P}-1`, 3500), line('pay', `${Q}-1`, 800), line('pay', `${Q}-1`, 800)];
    const station: StationLine[] = [
      mine(line('pay', `${P}-1`, 3600)),
      mine(line('reverse', `${Q}-1`, 800)),
      mine(line('refund', `${P}-1`, 100, `${P}-1-R1`)),
    ];
    const kinds = matchSettlement(platform, station).differences.map((d) => `${d.kind}:${d.key}`);
    expect(kinds).toEqual([
      `amount-differs:pay:${P}-1`,
      `duplicate:pay:${Q}-1`,
      `missing-at-station:pay:${Q}-1`,
      `missing-at-platform:refund:${P}-1:${P}-1-R1`,
      `missing-at-platform:reverse:${Q}-1`,
    ]);
  });

  it('two captures standing under one pay ID are a duplicate (refund the later); a reversed one is not', () => {
    const two = [line('pay', `${P}-1`, 3500), line('pay', `${P}-2`, 3500)];
    const d = matchSettlement(two, two.map(mine)).differences;
    expect(d).toEqual([
      { kind: 'duplicate', key: `pay-id:${P}`, side: 'platform', scope: 'pay-id', count: 2 },
      { kind: 'duplicate', key: `pay-id:${P}`, side: 'station', scope: 'pay-id', count: 2 },
    ]);
    const reversed = [...two, line('reverse', `${P}-1`, 3500)];
    expect(matchSettlement(reversed, reversed.map(mine)).differences).toEqual([]);
  });

  it('the station lines come from its attempts: succeeded is a pay, reversed a pay and a reverse', () => {
    const intent = testIntent(3500);
    const a1 = { ...testAttempt(intent, 1), phase: 'reversed' as const };
    const a2 = { ...testAttempt(intent, 2), phase: 'cancelled' as const };
    const a3 = { ...testAttempt(intent, 3), phase: 'succeeded' as const };
    const lines = stationLinesOf(
      [a1, a2, a3],
      [{ outTradeNo: a3.outTradeNo, refundNo: `${a3.outTradeNo}R1`, amountFen: 100 }],
    );
    expect(lines.map((l) => `${l.kind}:${l.outTradeNo.slice(-2)}:${l.amountFen}`)).toEqual([
      'pay:-1:3500',
      'reverse:-1:3500',
      'pay:-3:3500',
      'refund:-3:100',
    ]);
  });
});
