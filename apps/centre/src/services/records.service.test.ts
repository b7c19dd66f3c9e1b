import { beijingBatch, beijingCompact, type CpcExitRecord, type ExitRecord } from '@tollpad/domain';
import { cpcWorkedExampleRecord } from '@tollpad/domain/fixtures/cpc';
import type { StationDef } from '@tollpad/tariff';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { centreMigrations } from '../db/migrations';
import { TEST_PEER_HEADER } from '../http/peer';
import { type Harness, startHarness } from '../testing/harness';
import { DIALECTS } from '../testing/test-db';
import { testRecord } from '../testing/test-records';

const exTime = new Date('2026-11-23T07:30:15.000Z'); // Beijing 15:30:15, batch 2026112315

describe.each(DIALECTS)('record ingest on %s', (dialect) => {
  let h: Harness;
  let station: StationDef;

  beforeAll(async () => {
    h = await startHarness(dialect);
    station = (await h.centre.services.tariffs.activeAt()).network.stations[3]!;
  });
  afterAll(async () => h?.close());

  const post = (r: unknown, key?: string) =>
    h.call('POST', '/records', {
      body: r,
      headers: key === undefined ? {} : { 'idempotency-key': key },
    });

  const post2 = (r: ExitRecord, peer: string) =>
    h.call('POST', '/records', {
      body: r,
      headers: { 'idempotency-key': r.id, [TEST_PEER_HEADER]: peer },
    });

  it('stores a record once and answers the same acknowledgement on a replay', async () => {
    const r = testRecord({ station, exTime, serial: 1, fee: 8810 });
    const first = await post(r, r.id);
    expect(first.statusCode).toBe(201);
    const ack = first.json();
    expect(ack).toMatchObject({ tradeId: r.id, exitDay: '20261123', tacStatus: 'verified' });
    expect(ack.digest).toMatch(/^[0-9a-f]{64}$/);
    // The same record with its keys in another order is the same record.
    const reordered = Object.fromEntries(Object.entries(r).reverse());
    const second = await post(reordered, r.id);
    expect(second.statusCode).toBe(200);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.body).toBe(first.body);
    const n = await h.centre.services.db.db
      .selectFrom('exit_records')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('trade_id', '=', r.id)
      .executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(1);
    const got = await h.call('GET', `/records/${r.id}`);
    expect(got.json().ack).toEqual(ack);
    expect(got.json().record.tac).toBe(r.tac);
  });

  it('refuses a duplicate trade ID with different content, keeps it, and leaves the stored record', async () => {
    const r = testRecord({ station, exTime, serial: 2, fee: 1000 });
    expect((await post(r, r.id)).statusCode).toBe(201);
    const changed: ExitRecord = { ...r, operName: 'TEST其他收费员' };
    const res = await post(changed, r.id);
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('CTR_ERR_RECORD_CONFLICT');
    expect(res.json().rejectionId).toBeGreaterThan(0);
    const kept = await h.call('GET', `/rejected?kind=record&ref=${r.id}`);
    const rows = kept.json().rejected;
    expect(rows).toHaveLength(1);
    expect(rows[0].code).toBe('CTR_ERR_RECORD_CONFLICT');
    expect(JSON.parse(rows[0].body).operName).toBe('TEST其他收费员');
    // A retried identical refused upload bumps attempts instead of adding rows.
    await post(changed, r.id);
    const again = (await h.call('GET', `/rejected?kind=record&ref=${r.id}`)).json().rejected;
    expect(again).toHaveLength(1);
    expect(again[0].attempts).toBe(2);
    const stored = (await h.call('GET', `/records/${r.id}`)).json().record;
    expect(stored.operName).toBe(r.operName);
  });

  it('refuses a second trade ID carrying a stored card trade (card, terminal, serial, exTime: what the TAC covers), keeps it, and still replays the first', async () => {
    const r = testRecord({ station, exTime, serial: 11, fee: 4321 });
    const first = await post(r, r.id);
    expect(first.statusCode).toBe(201);
    // The same purchase under another trade ID: its TAC still verifies (the trade ID is not covered).
    const { id } = testRecord({ station, exTime, serial: 12, fee: 4321 });
    const again: ExitRecord = { ...r, id };
    const res = await post(again, id);
    expect([res.statusCode, res.json().code]).toEqual([409, 'CTR_ERR_RECORD_CARD_TRADE_USED']);
    expect(res.json().detail ?? res.body).toContain(r.id);
    const kept = (await h.call('GET', `/rejected?kind=record&ref=${id}`)).json().rejected;
    expect(kept.map((k: { code: string }) => k.code)).toEqual(['CTR_ERR_RECORD_CARD_TRADE_USED']);
    expect((await h.call('GET', `/records/${id}`)).statusCode).toBe(404);
    // The stored record's identical replay stays idempotent.
    const replay = await post(r, r.id);
    expect(replay.statusCode).toBe(200);
    expect(replay.body).toBe(first.body);
  });

  it('verifies the TAC with the TEST keys: a wrong TAC is refused and kept', async () => {
    const good = testRecord({ station, exTime, serial: 3, fee: 2345, algorithm: 'sm4' });
    expect((await post(good, good.id)).json().tacStatus).toBe('verified');
    const bad = testRecord({ station, exTime, serial: 4, fee: 2345, tac: 'DEADBEEF' });
    const res = await post(bad, bad.id);
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('CTR_ERR_RECORD_TAC_MISMATCH');
    // An amount changed after the debit breaks the TAC too.
    const tampered = testRecord({ station, exTime, serial: 5, fee: 2345 });
    const forged = {
      ...tampered,
      fee: 2000,
      transFee: 2000,
      payFee: 2000 + tampered.discountFee,
      postBalance: tampered.preBalance - 2000,
    };
    expect((await post(forged, forged.id)).json().code).toBe('CTR_ERR_RECORD_TAC_MISMATCH');
    expect((await h.call('GET', `/records/${bad.id}`)).statusCode).toBe(404);
    expect((await h.call('GET', `/rejected?ref=${bad.id}`)).json().rejected[0].code).toBe(
      'CTR_ERR_RECORD_TAC_MISMATCH',
    );
  });

  it('quarantines a record of an issuer whose keys it lacks: kept and listed, not cleared', async () => {
    const r = testRecord({ station, exTime, serial: 6, fee: 500, cardNet: '3701' });
    const res = await post(r, r.id);
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ tradeId: r.id, tacStatus: 'quarantined' });
    // A replay answers the same: the station's outbox is done with it, nothing is lost.
    const again = await post(r, r.id);
    expect(again.statusCode).toBe(202);
    expect(again.json()).toEqual(res.json());
    const listed = (await h.call('GET', '/records/quarantined')).json().quarantined as {
      ack: { tradeId: string };
    }[];
    expect(listed.map((q) => q.ack.tradeId)).toContain(r.id);
    const day = (await h.call('GET', '/clearing/20261123/records?issuer=3701')).json();
    expect(day.records).toEqual([]);
    const view = (await h.call('GET', '/clearing?from=20261123&issuer=3701')).json();
    expect(view.totals).toMatchObject({ records: 0, transFee: 0, quarantined: 1 });
  });

  it("refuses, keeps and does not store a record uploaded by another station's certificate", async () => {
    const other = (await h.centre.services.tariffs.activeAt()).network.stations[4]!;
    const mine = testRecord({ station: other, exTime, serial: 8, fee: 700 });
    // A stranger station squats the other station's trade ID with its own record body…
    const squat = await post2(mine, station.id);
    expect(squat.statusCode).toBe(403);
    expect(squat.json().code).toBe('CTR_ERR_RECORD_WRONG_STATION');
    expect(squat.json().rejectionId).toBeGreaterThan(0);
    // …or with a body naming itself as exit station but the other station's trade ID.
    const relabelled = { ...mine, exTollStationId: station.id };
    expect(['CTR_ERR_RECORD_INVALID', 'CTR_ERR_RECORD_WRONG_STATION']).toContain(
      (await post2(relabelled, station.id)).json().code,
    );
    // A publisher is no station either.
    expect((await post2(mine, 'publisher:TEST')).json().code).toBe('CTR_ERR_RECORD_WRONG_STATION');
    expect((await h.call('GET', `/records/${mine.id}`)).statusCode).toBe(404);
    // The genuine record of the owning station is then accepted, not refused as a conflict.
    const genuine = await post2(mine, other.id);
    expect(genuine.statusCode).toBe(201);
  });

  it('refuses an unknown station, a schema violation and a wrong Idempotency-Key, keeping each', async () => {
    const r = testRecord({ station, exTime, serial: 7, fee: 500 });
    const unknown = { ...r, exTollStationId: 'G9999370010990', exTollLaneId: 'G99993700109902010010' };
    unknown.id = `${unknown.exTollLaneId}${r.id.slice(21)}`;
    const u = await post(unknown, unknown.id);
    expect(u.json().code).toBe('CTR_ERR_RECORD_UNKNOWN_STATION');

    const invalid = { ...r, fee: -1 };
    const i = await post(invalid, r.id);
    expect(i.statusCode).toBe(422);
    expect(i.json().code).toBe('CTR_ERR_RECORD_INVALID');
    expect(i.json().detail).toContain('fee');

    // A trade ID whose batch is no real hour would name a nonsense day partition.
    const badBatch = { ...r, id: `${r.id.slice(0, 21)}2026139915${r.id.slice(31)}` };
    const b = await post(badBatch, badBatch.id);
    expect(b.json().code).toBe('CTR_ERR_RECORD_INVALID');
    expect(b.json().detail).toContain('batch');

    const k = await post(r, 'not-the-trade-id');
    expect(k.statusCode).toBe(400);
    expect(k.json().code).toBe('CTR_ERR_RECORD_IDEMPOTENCY_KEY');
    expect((await post(r)).json().code).toBe('CTR_ERR_RECORD_IDEMPOTENCY_KEY');

    const kept = (await h.call('GET', '/rejected?kind=record&limit=1000')).json().rejected as {
      code: string;
    }[];
    const codes = new Set(kept.map((x) => x.code));
    for (const c of [
      'CTR_ERR_RECORD_UNKNOWN_STATION',
      'CTR_ERR_RECORD_INVALID',
      'CTR_ERR_RECORD_IDEMPOTENCY_KEY',
    ]) {
      expect(codes).toContain(c);
    }
  });

  it('keeps records in a per-day partition on PostgreSQL, indexed by day on both engines', async () => {
    const { sql } = await import('kysely');
    const db = h.centre.services.db.db;
    if (dialect === 'postgres') {
      const parts = await sql<{ name: string }>`
        SELECT c.relname AS name FROM pg_inherits i
        JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
        WHERE p.relname = 'exit_records'`.execute(db);
      expect(parts.rows.map((r) => r.name)).toContain('exit_records_d20261123');
    } else {
      const idx = await sql<{
        name: string;
      }>`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'exit_records'`.execute(db);
      expect(idx.rows.map((r) => r.name)).toContain('exit_records_day_net');
    }
  });

  it('stores a CPC record (no card trade, so no TAC to verify) under the CPC ID', async () => {
    const base = cpcWorkedExampleRecord();
    const laneId = `${station.id}2010010`;
    const r: CpcExitRecord = {
      ...base,
      id: `${laneId}${beijingBatch(exTime)}000901`,
      passId: `020000${base.mediaNo}${beijingCompact(new Date(exTime.getTime() - 3600_000))}`,
      exTollLaneId: laneId,
      exTollLaneHex: `${station.hex}01`,
      exTollStationId: station.id,
      exTollStationHex: station.hex,
      exTollStationName: station.name,
      exTime: exTime.toISOString(),
    };
    const res = await post(r, r.id);
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ tradeId: r.id, tacStatus: 'verified' });
    const row = await h.centre.services.db.db
      .selectFrom('exit_records')
      .select(['card_id', 'trans_fee', 'fee'])
      .where('trade_id', '=', r.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ card_id: base.mediaNo, trans_fee: 0, fee: r.fee });
    expect((await h.call('GET', `/records/${r.id}`)).json().record).toEqual(r);
  });

  it('answers concurrent uploads of the same record with one row and one digest', async () => {
    // Serial 9: serial 8's card trade (same TEST card, terminal and time) is the other station's record above.
    const r = testRecord({ station, exTime, serial: 9, fee: 777 });
    const answers = await Promise.all([post(r, r.id), post(r, r.id), post(r, r.id)]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 200, 201]);
    expect(new Set(answers.map((a) => a.json().digest)).size).toBe(1);
  });

  it('claims the card trades of records stored before the card-trade table when the table is made', async () => {
    const r = testRecord({ station, exTime, serial: 13, fee: 1313 });
    expect((await post(r, r.id)).statusCode).toBe(201);
    const { db, ops } = h.centre.services.db;
    // As before the migration: no table; then the migration makes it from the stored records.
    await db.schema.dropTable('card_trades').execute();
    await centreMigrations(ops)['2026120704_card_trades']!.up(db);
    const claim = await db
      .selectFrom('card_trades')
      .selectAll()
      .where('trade_id', '=', r.id)
      .executeTakeFirstOrThrow();
    expect(claim).toEqual({
      card_id: r.cardId,
      terminal_no: r.terminalNo,
      terminal_trans_no: r.terminalTransNo,
      ex_time: exTime.toISOString(),
      trade_id: r.id,
    });
    const { id } = testRecord({ station, exTime, serial: 14, fee: 1313 });
    expect((await post({ ...r, id }, id)).json().code).toBe('CTR_ERR_RECORD_CARD_TRADE_USED');
  });
});
