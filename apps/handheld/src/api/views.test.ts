import type { StoredRecord } from '@tollpad/station-api';
import { describe, expect, it } from 'vitest';
import { PRICED } from './testing';
import { toExitTxn, toRecordSummary } from './views';

describe('toExitTxn', () => {
  it('maps the exit transaction: red checks with their codes, the fee, the authorisation', () => {
    const t = toExitTxn(PRICED);
    expect(t).toMatchObject({
      id: 'txn-1',
      state: 'priced',
      cardNo: '99010000000000000666',
      plate: '鲁A33338',
    });
    const bad = t.checks.filter((c) => !c.ok);
    expect(bad.map((c) => c.special)).toEqual([14, 52, null]);
    expect(bad[2]?.name).toContain('卡片状态名单');
    expect(t.fee).toMatchObject({
      amount: 12_955,
      payFee: 13_637,
      discount: 682,
      specialTypes: [30],
      etcPayable: true,
    });
    expect(t.auth).toEqual({ status: 'required', by: null, reason: null });
    expect(t.fee?.authReasons).toEqual(['需班长授权']);
  });

  it('shows the check groups that passed in green, after the red ones', () => {
    const t = toExitTxn(PRICED);
    // 52 (plate mismatch) was raised: the consistency group is not among the green ones.
    expect(t.checks.filter((c) => c.ok).map((c) => c.name)).toEqual([
      '卡片有效（有效期、状态）',
      '不在状态名单',
    ]);
    expect(t.checks.find((c) => !c.ok)?.action).toBe('请联系班长');
  });
});

describe('toRecordSummary', () => {
  it('takes the paid fee and the class and kind from the record, the specials joined as records carry them', () => {
    const record = { payFee: 13_637, vehicleType: 1, vehicleClass: 0 } as StoredRecord['record'];
    const s = toRecordSummary({
      tradeId: 'G900137001002020100102026112316000001',
      kind: 'original',
      supersedes: null,
      laneId: 'G90013700100202010010',
      cardId: '99010000000000000666',
      vehicleId: '鲁A33338_0',
      exTime: '2026-11-23T08:00:00.000Z',
      specialTypes: [30, 52],
      exitFeeType: 2,
      fee: 12_955,
      record,
    });
    expect(s).toMatchObject({
      fee: 12_955,
      payFee: 13_637,
      vehicleClass: 1,
      vehicleKind: 0,
      specialTypes: '30|52',
    });
  });
});
