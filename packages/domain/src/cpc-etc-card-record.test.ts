import { describe, expect, it } from 'vitest';
import { CPC_ETC_CARD_TRADE_FIELDS, type CpcExitRecord, checkExitRecord, PAY_TYPE } from './exit-record';
import { cpcWorkedExampleRecord } from './fixtures/cpc-worked-record';
import type { Fen } from './money';

/** The worked CPC record paid by a TEST ETC card of network 9901 (payType 4, transPayType 2). */
function paidByCard(): CpcExitRecord {
  const r = cpcWorkedExampleRecord();
  return {
    ...r,
    payType: PAY_TYPE.ETC_CARD,
    transPayType: 2,
    cardId: '99010000000000007701',
    cardNet: '9901',
    etcCardType: 1,
    tac: '0A1B2C3D',
    transFee: r.fee,
    transType: '09',
    terminalNo: '0151000119F8',
    terminalTransNo: '00000011',
    cardTransNo: 3,
    algorithmIdentifier: 1,
    preBalance: 50_000 as Fen,
    postBalance: (50_000 - r.fee) as Fen,
  };
}

describe('a CPC record paid by the driver’s ETC card (payments.md §6)', () => {
  it('passes with the whole card trade', () => {
    expect(checkExitRecord(paidByCard()).ok).toBe(true);
  });

  it.each(CPC_ETC_CARD_TRADE_FIELDS)('payType 4 without %s is refused', (f) => {
    const r = { ...paidByCard() } as Record<string, unknown>;
    delete r[f];
    const got = checkExitRecord(r);
    expect(got.ok).toBe(false);
    if (!got.ok) expect(got.error.field).toBe(f);
  });

  it('a cash or QR record carrying a card trade field is refused', () => {
    const got = checkExitRecord({ ...cpcWorkedExampleRecord(), tac: '0A1B2C3D' });
    expect(got.ok).toBe(false);
    if (!got.ok) expect(got.error.field).toBe('tac');
  });

  it('the card pays the fee exactly: transFee = fee, postBalance = preBalance − transFee, cardNet from the card ID', () => {
    const r = paidByCard();
    const fee = checkExitRecord({
      ...r,
      transFee: (r.fee + 100) as Fen,
      postBalance: (50_000 - r.fee - 100) as Fen,
    });
    expect(!fee.ok && fee.error.field).toBe('transFee');
    const bal = checkExitRecord({ ...r, postBalance: 50_000 as Fen });
    expect(!bal.ok && bal.error.field).toBe('postBalance');
    const net = checkExitRecord({ ...r, cardNet: '3701' });
    expect(!net.ok && net.error.field).toBe('cardNet');
  });
});
