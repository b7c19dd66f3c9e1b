import { beijingCompact, type CpcExitRecord, type Fen, PAY_TYPE } from '@tollpad/domain';
import { cpcWorkedExampleRecord } from '@tollpad/domain/fixtures/cpc';
import type { StationDef } from '@tollpad/tariff';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../testing/harness';
import { DIALECTS } from '../testing/test-db';
import { testRecord } from '../testing/test-records';

const exTime = new Date('2026-11-24T02:10:05.000Z'); // Beijing 10:10:05, day 20261124

/**
 * A CPC record paid by the driver's TEST ETC card (payType 4, transPayType 2): the card trade of a TEST card
 * of network 9901 whose TAC the TEST keys compute, grafted on the worked CPC record of the same exit.
 */
function cpcPaidByCard(station: StationDef, serial: number, fee: number, tac?: string): CpcExitRecord {
  const trade = testRecord({ station, exTime, serial, fee, ...(tac ? { tac } : {}) });
  const base = cpcWorkedExampleRecord();
  return {
    ...base,
    id: trade.id,
    passId: `020000${base.mediaNo}${beijingCompact(new Date(exTime.getTime() - 3600_000))}`,
    exTollLaneId: trade.exTollLaneId,
    exTollLaneHex: trade.exTollLaneHex,
    exTollStationId: station.id,
    exTollStationHex: station.hex,
    exTollStationName: station.name,
    exTime: exTime.toISOString(),
    fee: fee as Fen,
    payFee: fee as Fen,
    discountFee: 0 as Fen,
    payType: PAY_TYPE.ETC_CARD,
    transPayType: 2,
    cardId: trade.cardId,
    cardNet: trade.cardNet,
    etcCardType: 1,
    tac: trade.tac,
    transFee: fee as Fen,
    transType: '09',
    terminalNo: trade.terminalNo,
    terminalTransNo: trade.terminalTransNo,
    cardTransNo: trade.cardTransNo,
    algorithmIdentifier: trade.algorithmIdentifier,
    preBalance: trade.preBalance,
    postBalance: trade.postBalance,
  };
}

describe.each(DIALECTS)('a CPC record paid by the driver’s ETC card on %s', (dialect) => {
  let h: Harness;
  let station: StationDef;

  beforeAll(async () => {
    h = await startHarness(dialect);
    station = (await h.centre.services.tariffs.activeAt()).network.stations[3]!;
  });
  afterAll(async () => h?.close());

  const post = (r: CpcExitRecord) =>
    h.call('POST', '/records', { body: r, headers: { 'idempotency-key': r.id } });

  it('is accepted with its card TAC verified, stored under the paying card, and cleared under payType 4 with the card’s issuer', async () => {
    const r = cpcPaidByCard(station, 41, 6500);
    const res = await post(r);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ tradeId: r.id, tacStatus: 'verified' });
    const row = await h.centre.services.db.db
      .selectFrom('exit_records')
      .select(['card_id', 'card_net', 'trans_fee', 'pay_type'])
      .where('trade_id', '=', r.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ card_id: r.cardId, card_net: '9901', trans_fee: 6500, pay_type: 4 });
    const v = (await h.call('GET', '/clearing?from=20261124&to=20261124')).json();
    expect(v.rows).toContainEqual({
      day: '20261124',
      issuer: '9901',
      group: 'CPC·ETC用户卡',
      records: 1,
      transFee: 6500,
      fee: 6500,
      payFee: 6500,
      verified: 1,
      quarantined: 0,
    });
  });

  it('with a wrong TAC is refused (CTR_ERR_RECORD_TAC_MISMATCH) and not cleared', async () => {
    const r = cpcPaidByCard(station, 42, 7000, '0BADBAD0');
    const res = await post(r);
    expect(res.json().code, res.body).toBe('CTR_ERR_RECORD_TAC_MISMATCH');
    const n = await h.centre.services.db.db
      .selectFrom('exit_records')
      .select('trade_id')
      .where('trade_id', '=', r.id)
      .execute();
    expect(n).toHaveLength(0);
  });

  it('without its card trade (payType 4 but no TAC) is refused by the record schema', async () => {
    const { tac: _dropped, ...r } = cpcPaidByCard(station, 43, 7000);
    const res = await post(r as CpcExitRecord);
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('tac');
  });
});
