import {
  beijingBatch,
  beijingCompact,
  type CpcExitRecord,
  type Fen,
  type GreenInspectionUpload,
} from '@tollpad/domain';
import { cpcWorkedExampleRecord } from '@tollpad/domain/fixtures/cpc';
import type { StationDef } from '@tollpad/tariff';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_PEER_HEADER } from '../http/peer';
import { type Harness, startHarness } from '../testing/harness';
import { DIALECTS } from '../testing/test-db';

type Json = Record<string, unknown>;

describe.each(DIALECTS)('绿通查验 at the centre on %s', (dialect) => {
  let h: Harness;
  let station: StationDef;
  let other: StationDef;

  /** A TEST green-channel CPC record of `station`: a pass (free, 128) or a fail (normal fee, 126). */
  function greenRecord(serial: number, passed: boolean): CpcExitRecord {
    const base = cpcWorkedExampleRecord();
    const laneId = `${station.id}2010010`;
    const at = new Date(`2026-11-23T0${serial}:00:00Z`);
    return {
      ...base,
      id: `${laneId}${beijingBatch(at)}${String(700 + serial).padStart(6, '0')}`,
      passId: `020000${base.mediaNo}${beijingCompact(new Date(at.getTime() - 3600_000))}`,
      exTollLaneId: laneId,
      exTollLaneHex: `${station.hex}01`,
      exTollStationId: station.id,
      exTollStationHex: station.hex,
      exTollStationName: station.name,
      exTime: at.toISOString(),
      vehicleClass: passed ? 21 : 0,
      vehicleSign: passed ? 0x02 : base.vehicleSign,
      fee: (passed ? 0 : 4500) as Fen,
      payFee: 4500 as Fen,
      discountFee: (passed ? 4500 : 0) as Fen,
      ...(passed ? { discountType: 1 } : {}),
      specialType: passed ? '128' : '126',
      description: passed ? '绿通车' : '绿通查验不合格',
      greenInspectionId: `TEST-GI-${serial}`,
    };
  }

  function inspectionOf(r: CpcExitRecord, passed: boolean): GreenInspectionUpload {
    return {
      id: r.greenInspectionId!,
      tradeId: r.id,
      passId: r.passId,
      exTollStationId: r.exTollStationId,
      vehicleId: r.vehicleId,
      result: passed ? 'pass' : 'fail',
      passed,
      refusal: null,
      cargo: ['V01', 'F07'],
      photos: ['a', 'b', 'c'].map((c) => c.repeat(64)),
      appointment: passed ? { type: 1, reason: '绿通预约', version: '202611230800' } : null,
      ban: null,
      note: null,
      operId: r.operId,
      inspectedAt: r.exTime,
    };
  }

  const upload = (u: unknown, key: string, peer = station.id) =>
    h.call('POST', '/green-inspections', {
      body: u,
      headers: { 'idempotency-key': key, [TEST_PEER_HEADER]: peer },
    });
  const uninspected = async () =>
    (
      (
        await h.call('GET', '/green-channel/uninspected?from=20261123&to=20261123', {
          headers: { [TEST_PEER_HEADER]: station.id },
        })
      ).json() as { uninspected: Json[] }
    ).uninspected;

  let pass: CpcExitRecord;
  let fail: CpcExitRecord;

  beforeAll(async () => {
    h = await startHarness(dialect);
    const stations = (await h.centre.services.tariffs.activeAt()).network.stations;
    station = stations[1]!;
    other = stations[2]!;
    pass = greenRecord(1, true);
    fail = greenRecord(2, false);
    // A holiday-free car: fee 0 too, but no green-channel pass (never asked for an inspection).
    const { greenInspectionId: _none, ...holidayBase } = greenRecord(3, true);
    const holiday: CpcExitRecord = {
      ...holidayBase,
      vehicleClass: 0,
      vehicleSign: 0xff,
      discountType: 5,
      specialType: '116',
      description: '节假日免费',
    };
    for (const r of [pass, fail, holiday]) {
      const res = await h.call('POST', '/records', { body: r, headers: { 'idempotency-key': r.id } });
      if (res.statusCode !== 201) throw new Error(res.body);
    }
  });
  afterAll(async () => h?.close());

  it('lists a green-channel pass without its inspection, then stores the inspection linked to its record', async () => {
    expect((await uninspected()).map((u) => u.tradeId)).toEqual([pass.id]);
    const u = inspectionOf(pass, true);
    const res = await upload(u, `${pass.id}-G`);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ key: `${pass.id}-G`, id: u.id, tradeId: pass.id, recordHeld: true });
    const again = await upload(u, `${pass.id}-G`);
    expect(again.statusCode).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(res.json());
    const linked = await h.call('GET', `/records/${pass.id}/green-inspection`, {
      headers: { [TEST_PEER_HEADER]: station.id },
    });
    expect(linked.json()).toEqual(u);
    expect(await uninspected()).toEqual([]);
    // A failed inspection of a paid exit is kept too; it never counts as a pass.
    const f = await upload(inspectionOf(fail, false), `${fail.id}-G`);
    expect(f.statusCode, f.body).toBe(201);
    expect(await uninspected()).toEqual([]);
  });

  it('refuses, and keeps, an inspection that contradicts itself, a foreign station, a second one, a wrong key', async () => {
    const before = ((await h.call('GET', '/rejected')).json() as { rejected: Json[] }).rejected;
    const u = inspectionOf(pass, true);
    const cases: [unknown, string, string, number, string][] = [
      [{ ...u, cargo: ['Z99'] }, `${pass.id}-G`, station.id, 422, 'CTR_ERR_GREEN_INVALID'],
      [{ ...u, result: 'fail' }, `${pass.id}-G`, station.id, 422, 'CTR_ERR_GREEN_INVALID'],
      [
        { ...u, photos: Array(13).fill('d'.repeat(64)) },
        `${pass.id}-G`,
        station.id,
        422,
        'CTR_ERR_GREEN_INVALID',
      ],
      [u, pass.id, station.id, 422, 'CTR_ERR_GREEN_INVALID'],
      [u, `${pass.id}-G`, other.id, 403, 'CTR_ERR_GREEN_WRONG_STATION'],
      [
        { ...u, id: 'TEST-GI-other', note: '另一次' },
        `${pass.id}-G`,
        station.id,
        409,
        'CTR_ERR_GREEN_CONFLICT',
      ],
    ];
    for (const [body, key, peer, status, code] of cases) {
      const r = await upload(body, key, peer);
      expect([r.statusCode, r.json().code], JSON.stringify(body).slice(0, 80)).toEqual([status, code]);
    }
    const after = ((await h.call('GET', '/rejected')).json() as { rejected: Json[] }).rejected;
    expect(after.filter((r) => r.kind === 'green-inspection').length).toBeGreaterThan(
      before.filter((r) => r.kind === 'green-inspection').length,
    );
    // The stored inspection is untouched.
    const linked = await h.call('GET', `/records/${pass.id}/green-inspection`, {
      headers: { [TEST_PEER_HEADER]: station.id },
    });
    expect(linked.json()).toEqual(u);
  });

  it("refuses another station's inspection of this station's record (its trade ID), so it cannot pre-empt the real one", async () => {
    const r = greenRecord(4, true);
    const rec = await h.call('POST', '/records', { body: r, headers: { 'idempotency-key': r.id } });
    expect(rec.statusCode, rec.body).toBe(201);
    // The other station names itself as the exit station, but the trade ID is this station's lane's.
    const forged = { ...inspectionOf(r, true), exTollStationId: other.id };
    const f = await upload(forged, `${r.id}-G`, other.id);
    expect([f.statusCode, f.json().code]).toEqual([403, 'CTR_ERR_GREEN_WRONG_STATION']);
    expect((await uninspected()).map((u) => u.tradeId)).toEqual([r.id]);
    // The station's own inspection is then taken, not refused as a conflict.
    const own = await upload(inspectionOf(r, true), `${r.id}-G`);
    expect(own.statusCode, own.body).toBe(201);
    expect(await uninspected()).toEqual([]);
  });
});
