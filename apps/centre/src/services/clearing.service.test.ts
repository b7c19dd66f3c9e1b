import { beijingBatch, beijingCompact, type CpcExitRecord, type Fen } from '@tollpad/domain';
import { cpcWorkedExampleRecord } from '@tollpad/domain/fixtures/cpc';
import type { StationDef } from '@tollpad/tariff';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../testing/harness';
import { DIALECTS } from '../testing/test-db';
import { testRecord } from '../testing/test-records';

describe.each(DIALECTS)('clearing view on %s', (dialect) => {
  let h: Harness;
  let station: StationDef;

  beforeAll(async () => {
    h = await startHarness(dialect);
    station = (await h.centre.services.tariffs.activeAt()).network.stations[1]!;
    // Two days (Beijing), two issuers; the day follows the trade-ID batch in Beijing time.
    const uploads = [
      { exTime: '2026-11-22T10:00:00Z', fee: 1000, cardNet: '9901' },
      { exTime: '2026-11-22T15:59:59Z', fee: 2000, cardNet: '9901' }, // 23:59:59 Beijing, still the 22nd
      { exTime: '2026-11-22T16:00:00Z', fee: 4000, cardNet: '9901' }, // 00:00 Beijing on the 23rd
      { exTime: '2026-11-23T01:00:00Z', fee: 8000, cardNet: '3701' },
      { exTime: '2026-11-23T02:00:00Z', fee: 16000, cardNet: '9901' },
    ];
    for (const [i, u] of uploads.entries()) {
      const r = testRecord({
        station,
        exTime: new Date(u.exTime),
        serial: i + 1,
        fee: u.fee,
        cardNet: u.cardNet,
      });
      const res = await h.call('POST', '/records', { body: r, headers: { 'idempotency-key': r.id } });
      if (res.statusCode !== 201 && res.statusCode !== 202) throw new Error(res.body);
      // Replays must not count twice.
      await h.call('POST', '/records', { body: r, headers: { 'idempotency-key': r.id } });
    }
    // A CPC paid in cash: no card trade, no TAC, no issuer to clear with.
    const base = cpcWorkedExampleRecord();
    const laneId = `${station.id}2010010`;
    const cpcAt = new Date('2026-11-23T04:00:00Z');
    const cpc: CpcExitRecord = {
      ...base,
      id: `${laneId}${beijingBatch(cpcAt)}000901`,
      passId: `020000${base.mediaNo}${beijingCompact(new Date(cpcAt.getTime() - 3600_000))}`,
      exTollLaneId: laneId,
      exTollLaneHex: `${station.hex}01`,
      exTollStationId: station.id,
      exTollStationHex: station.hex,
      exTollStationName: station.name,
      exTime: cpcAt.toISOString(),
      fee: 4500 as Fen,
      payFee: 4500 as Fen,
    };
    const up = await h.call('POST', '/records', { body: cpc, headers: { 'idempotency-key': cpc.id } });
    if (up.statusCode !== 201) throw new Error(up.body);
    const bad = testRecord({
      station,
      exTime: new Date('2026-11-23T03:00:00Z'),
      serial: 99,
      fee: 1,
      tac: '00000000',
    });
    await h.call('POST', '/records', { body: bad, headers: { 'idempotency-key': bad.id } });
  });
  afterAll(async () => h?.close());

  it('totals accepted records per issuer and Beijing day', async () => {
    const res = await h.call('GET', '/clearing?from=20261122&to=20261123');
    expect(res.statusCode).toBe(200);
    const v = res.json();
    expect(v.rows).toEqual([
      {
        day: '20261122',
        issuer: '9901',
        group: '9901',
        records: 2,
        transFee: 3000,
        fee: 3000,
        payFee: expect.any(Number),
        verified: 2,
        quarantined: 0,
      },
      {
        day: '20261123',
        issuer: '',
        group: 'CPC·现金',
        records: 1,
        transFee: 0,
        fee: 4500,
        payFee: 4500,
        verified: 0,
        quarantined: 0,
      },
      {
        day: '20261123',
        issuer: '3701',
        group: '3701',
        records: 0,
        transFee: 0,
        fee: 0,
        payFee: 0,
        verified: 0,
        quarantined: 1,
      },
      {
        day: '20261123',
        issuer: '9901',
        group: '9901',
        records: 2,
        transFee: 20000,
        fee: 20000,
        payFee: expect.any(Number),
        verified: 2,
        quarantined: 0,
      },
    ]);
    // The CPC's cash is counted, never as a TAC-verified card trade.
    expect(v.totals).toMatchObject({ records: 5, transFee: 23000, verified: 4, quarantined: 1 });
    expect(v.rejected).toBe(1);
    const one = (await h.call('GET', '/clearing?from=20261123&issuer=9901')).json();
    expect(one.rows).toHaveLength(1);
    expect(one.totals.transFee).toBe(20000);
  });

  it('pages the records of a day by trade ID', async () => {
    const p1 = (await h.call('GET', '/clearing/20261123/records?limit=3')).json();
    expect(p1.records).toHaveLength(3);
    expect(p1.next).toBeNull();
    const p2 = (await h.call('GET', '/clearing/20261123/records?limit=1')).json();
    expect(p2.records).toHaveLength(1);
    expect(p2.next).toBe(p2.records[0].tradeId);
    // The quarantined record (issuer 3701, fee 8000) is not in the pages: it is not cleared. The CPC's
    // cash (4500) is an accepted record of the day.
    const all = p1.records
      .map((r: { record: { fee: number } }) => r.record.fee)
      .sort((a: number, b: number) => a - b);
    expect(all).toEqual([4000, 4500, 16000]);
    expect((await h.call('GET', '/clearing?from=20261124&to=20261123')).json().code).toBe(
      'CTR_ERR_REQ_INVALID',
    );
  });
});
