import { type Fen, type NoCardExitRecord, PAY_TYPE } from '@tollpad/domain';
import { cpcWorkedExampleRecord } from '@tollpad/domain/fixtures/cpc';
import type { StationDef } from '@tollpad/tariff';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../testing/harness';
import { DIALECTS } from '../testing/test-db';
import { testRecord } from '../testing/test-records';

const exTime = new Date('2026-11-25T02:10:05.000Z'); // Beijing 10:10:05, day 20261125

/** A no-card exit's record (TEST): lost CPC, stated entry, cash, on a lane of `station`. */
function noCardRecord(
  station: StationDef,
  serial: number,
  patch: Partial<NoCardExitRecord> = {},
): NoCardExitRecord {
  const lane = testRecord({ station, exTime, serial, fee: 1 });
  const {
    cpcCardId: _1,
    cpcElec: _2,
    cpcCardPlate: _3,
    cpcCardColor: _4,
    cpcCardVeh: _5,
    cpcCardVehStatus: _6,
    cpcCardEnNet: _7,
    cpcCardEnStation: _8,
    cpcCardEnTime: _9,
    cpcCardProCount: _10,
    mediaNo: _11,
    cardTotalAmount: _12,
    enTollStationHex: _13,
    enTime: _14,
    ...base
  } = cpcWorkedExampleRecord();
  return {
    ...base,
    id: lane.id,
    passId: `030${lane.exTollLaneId}20261125101005`,
    exTollLaneId: lane.exTollLaneId,
    exTollLaneHex: lane.exTollLaneHex,
    exTollStationId: station.id,
    exTollStationHex: station.hex,
    exTollStationName: station.name,
    exTime: exTime.toISOString(),
    mediaType: 9,
    payType: PAY_TYPE.CASH,
    exitFeeType: 6,
    payFee: 8000 as Fen,
    fee: 8000 as Fen,
    originFee: 8000 as Fen,
    provinceCount: 0,
    noCardCount: 1,
    specialType: '36',
    noCardReason: 'lost',
    cardCost: 4000 as Fen,
    feeRule: 'NOCARD.STATED',
    statedEntry: station.hex,
    ...patch,
  };
}

describe.each(DIALECTS)('a no-card exit record on %s', (dialect) => {
  let h: Harness;
  let station: StationDef;

  beforeAll(async () => {
    h = await startHarness(dialect);
    station = (await h.centre.services.tariffs.activeAt()).network.stations[3]!;
  });
  afterAll(async () => h?.close());

  const post = (r: NoCardExitRecord) =>
    h.call('POST', '/records', { body: r, headers: { 'idempotency-key': r.id } });

  it('is stored as mediaType 9 with its payType, no card trade, and cleared as 无卡·现金 with its card cost in fee', async () => {
    const r = noCardRecord(station, 51);
    const res = await post(r);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ tradeId: r.id, tacStatus: 'verified' });
    const row = await h.centre.services.db.db
      .selectFrom('exit_records')
      .select(['card_id', 'card_net', 'trans_fee', 'pay_type', 'media_type', 'record_json'])
      .where('trade_id', '=', r.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ card_id: r.passId, card_net: '', trans_fee: 0, pay_type: 1 });
    expect(Number(row.media_type)).toBe(9);
    expect(JSON.parse(row.record_json)).toMatchObject({
      noCardReason: 'lost',
      cardCost: 4000,
      feeRule: 'NOCARD.STATED',
    });
    const v = (await h.call('GET', '/clearing?from=20261125&to=20261125')).json();
    expect(v.rows).toContainEqual(
      expect.objectContaining({ group: '无卡·现金', records: 1, fee: 8000, transFee: 0 }),
    );
    // A replay is answered as such; the same trade ID with another card cost is a conflict.
    expect((await post(r)).statusCode).toBe(200);
    expect((await post({ ...r, cardCost: 3000 as Fen })).statusCode).toBe(409);
  });

  it('a damaged CPC with a legible ID is stored under that ID and cleared as CPC', async () => {
    const id = '3700FFFF0000ABCD';
    const r = noCardRecord(station, 52, {
      mediaType: 2,
      mediaNo: id,
      passId: `020000${id}20261125101005`,
      noCardReason: 'damaged',
      specialType: '35',
    });
    const res = await post(r);
    expect(res.statusCode, res.body).toBe(201);
    const row = await h.centre.services.db.db
      .selectFrom('exit_records')
      .select(['card_id', 'media_type'])
      .where('trade_id', '=', r.id)
      .executeTakeFirstOrThrow();
    expect(row.card_id).toBe(id);
    expect(Number(row.media_type)).toBe(2);
  });

  it('refuses a no-card record whose PassID is not its lane’s, or that claims a card cost with no card taken', async () => {
    const bad = [
      noCardRecord(station, 53, { passId: `030${'G'.repeat(21)}20261125101005` }),
      noCardRecord(station, 54, { noCardReason: 'no-card' }),
    ];
    for (const r of bad) {
      const res = await post(r);
      expect(res.statusCode, res.body).toBe(422);
    }
  });
});
