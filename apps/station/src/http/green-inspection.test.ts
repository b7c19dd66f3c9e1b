import { DISCOUNT_TYPE, SPECIAL, VEHICLE_KIND, VEHICLE_STATUS_FLAG } from '@tollpad/domain';
import type { CpcRead } from '@tollpad/station-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../testing/harness';
import { uploadLoadPhotos } from '../testing/load-photos';
import { otherCollector } from '../testing/other-collector';
import { collectorHandheld, plainVehicle } from '../testing/plain-vehicle';
import { TEST_PNG } from '../testing/sim-handheld';
import { testCpcRead } from '../testing/test-cpc';
import { DIALECTS } from '../testing/test-db';
import { configureWorld, TEST_WORLD, testReference } from '../testing/world';

type Json = Record<string, unknown>;

const HOUR = 3600_000;
// TEST plates (SYNTHETIC): a green truck with an appointment, one without, one on the ban list.
const APPOINTED = { plate: '鲁B6T001', colour: 1 };
const UNLISTED = { plate: '鲁B6T002', colour: 1 };
const BANNED = { plate: '鲁B6T003', colour: 1 };
const LISTS = {
  green: { version: 'TEST-GREEN-202611230800', entries: [{ key: '鲁B6T001_1', type: 1 }] },
  'green-ban': { version: 'TEST-GBAN-202611230800', entries: [{ key: '鲁B6T003_1', type: 2 }] },
};

for (const dialect of DIALECTS) {
  describe(`${dialect}: 绿通查验 on an exit`, () => {
    let h: Harness;
    let photos: string[];
    let photo: string;
    let serial = 0;

    const cpc = (): CpcRead => {
      serial += 1;
      const now = h.clock.now.getTime();
      return testCpcRead({
        cpcId: `3700FFEE${String(serial).padStart(8, '0')}`,
        entryTime: new Date(now - 2 * HOUR),
        gantries: [{ hex: '000001', time: new Date(now - HOUR), fee: 1000 }],
      });
    };
    const as = (token: string, method: 'GET' | 'POST', url: string, body?: unknown) =>
      h.call(method, url, { token, ...(body === undefined ? {} : { body }) });
    const collector = (method: 'GET' | 'POST', url: string, body?: unknown) =>
      as(h.tokens.collector, method, url, body);

    /** 【读卡】 → 【提交图片数据】 of a CPC truck with `plate`: the imaged transaction's ID. */
    async function imaged(v: { plate: string; colour: number }): Promise<string> {
      const created = await collector('POST', '/exits', { laneId: TEST_WORLD.laneId, cpc: cpc() });
      expect(created.statusCode, created.body).toBe(201);
      const id = created.json().id as string;
      const r = await collector('POST', `/exits/${id}/image`, {
        plate: v.plate,
        plateColour: v.colour,
        photoSha256: photo,
      });
      expect(r.statusCode, r.body).toBe(200);
      return id;
    }
    const fee = (id: string, vehicleKind: number) =>
      collector('POST', `/exits/${id}/fee`, { vehicleClass: 1, vehicleKind });
    const inspect = (id: string, body: Json) =>
      collector('POST', `/exits/${id}/green-inspection`, { cargo: ['V01', 'F03'], photos, ...body });

    /** A monitor's approval when one is asked (a CPC's entry flag may differ from kind 21). */
    async function approveIfAsked(id: string): Promise<void> {
      const t = (await collector('GET', `/exits/${id}`)).json();
      if ((t.authorisation as Json).status !== 'required') return;
      const ok = await as(h.tokens.monitor, 'POST', `/exits/${id}/authorisation`, {
        approve: true,
        reason: '核实无误 (TEST)',
      });
      expect(ok.statusCode, ok.body).toBe(200);
    }

    beforeAll(async () => {
      h = await startHarness(dialect, {}, { reference: testReference(LISTS) });
      await configureWorld(h);
      const img = await h.call('POST', '/images', {
        token: h.tokens.collector,
        body: TEST_PNG,
        headers: { 'content-type': 'image/png' },
      });
      photo = img.json().sha256 as string;
      photos = await uploadLoadPhotos(h, 3);
    });
    afterAll(async () => h?.close());

    it('shows the appointment and the ban of the plate, and the photos asked for', async () => {
      const a = (await collector('GET', `/exits/${await imaged(APPOINTED)}/green-inspection`)).json();
      expect(a).toMatchObject({
        status: {
          vehicleId: '鲁B6T001_1',
          appointment: { type: 1, version: LISTS.green.version },
          ban: null,
        },
        minPhotos: 3,
        mixedAllowed: false,
        inspection: null,
      });
      const b = (await collector('GET', `/exits/${await imaged(BANNED)}/green-inspection`)).json();
      expect(b.status).toMatchObject({ appointment: null, ban: { type: 2, reason: '多次假冒绿通' } });
    });

    it('a pass before 【算费】: kind 21 is free (fee 0, payFee computed, 128, discountType 1), no payment taken, record and upload linked', async () => {
      const id = await imaged(APPOINTED);
      const r = await inspect(id, { result: 'pass' });
      expect(r.statusCode, r.body).toBe(201);
      const insp = r.json().inspection as Json;
      expect(insp).toMatchObject({ result: 'pass', passed: true, refusal: null, cargo: ['V01', 'F03'] });
      expect(insp.appointment).toMatchObject({ type: 1 });
      const priced = await fee(id, VEHICLE_KIND.GREEN_CHANNEL);
      expect(priced.statusCode, priced.body).toBe(200);
      const f = priced.json().fee as Json;
      expect(f.fee).toBe(0);
      expect(f.payFee as number).toBeGreaterThan(0);
      expect(f.discountFee).toBe(f.payFee);
      expect((f.specials as Json[]).map((s) => s.code)).toContain(SPECIAL.GREEN_CHANNEL);
      // The inspection answers the monitor's FREE_VEHICLE / INSPECTION reasons.
      const reasons = (priced.json().authorisation as Json).reasons as Json[];
      expect(reasons.map((x) => x.code)).not.toContain('INSPECTION');
      expect(reasons.map((x) => x.code)).not.toContain('FREE_VEHICLE');
      await approveIfAsked(id);
      // Cash or QR for nothing is not asked: the free way.
      const intent = await collector('POST', `/exits/${id}/debit-intent`, { payment: 'free', amount: 0 });
      expect(intent.statusCode, intent.body).toBe(200);
      const { tradeId } = intent.json() as { tradeId: string };
      const commit = await collector('POST', `/exits/${id}/commit`, { tradeId, cardWrite: 'written' });
      expect(commit.statusCode, commit.body).toBe(201);
      const record = commit.json().record as Json;
      expect(record).toMatchObject({
        fee: 0,
        payFee: f.payFee,
        discountFee: f.payFee,
        vehicleClass: VEHICLE_KIND.GREEN_CHANNEL,
        vehicleSign: VEHICLE_STATUS_FLAG.GREEN_CHANNEL,
        discountType: DISCOUNT_TYPE.GREEN_CHANNEL,
        greenInspectionId: insp.id,
        payType: 1,
      });
      expect((record.specialType as string).split('|')).toContain('128');
      const outbox = await h.station.services.db.db
        .selectFrom('outbox')
        .select(['topic', 'idempotency_key', 'payload'])
        .where('idempotency_key', 'like', `${tradeId}%`)
        .orderBy('idempotency_key')
        .execute();
      expect(outbox.map((o) => [o.topic, o.idempotency_key])).toEqual([
        ['exit-record', tradeId],
        ['green-inspection', `${tradeId}-G`],
      ]);
      expect(JSON.parse(outbox[1]!.payload)).toMatchObject({
        id: insp.id,
        tradeId,
        passed: true,
        photos,
        exTollStationId: TEST_WORLD.stationId,
      });
    });

    it('a fail after 【算费】 re-prices: the normal fee with 126; kind 21 is refused', async () => {
      const id = await imaged(UNLISTED);
      const normal = (await fee(id, 0)).json().fee as Json;
      expect(normal.fee as number).toBeGreaterThan(0);
      const r = await inspect(id, { result: 'fail' });
      expect(r.statusCode, r.body).toBe(201);
      const t = r.json().transaction as Json;
      const f = t.fee as Json;
      expect(f.fee).toBe(normal.fee);
      expect(f.vehicleKind).toBe(0);
      expect((f.specials as Json[]).map((s) => s.code)).toContain(SPECIAL.GREEN_INSPECTION_FAILED);
      const k21 = await fee(id, VEHICLE_KIND.GREEN_CHANNEL);
      expect(k21.statusCode).toBe(409);
      expect(k21.json().code).toBe('STN_ERR_GREEN_NOT_INSPECTED');
      await approveIfAsked(id);
      // A free intent for a fee above 0 is refused: it pays the normal fee in cash.
      const free = await collector('POST', `/exits/${id}/debit-intent`, { payment: 'free', amount: 0 });
      expect(free.json().code).toBe('STN_ERR_EXIT_AMOUNT_MISMATCH');
      const intent = await collector('POST', `/exits/${id}/debit-intent`, {
        payment: 'cash',
        amount: normal.fee,
      });
      expect(intent.statusCode, intent.body).toBe(200);
      const { tradeId } = intent.json() as { tradeId: string };
      const commit = await collector('POST', `/exits/${id}/commit`, { tradeId, cardWrite: 'written' });
      expect(commit.statusCode, commit.body).toBe(201);
      const record = commit.json().record as Json;
      expect(record.fee).toBe(normal.fee);
      expect(record.greenInspectionId).toBe((r.json().inspection as Json).id);
      expect((record.specialType as string).split('|')).toContain('126');
    });

    it('a fee that needed the stated entry is re-priced by the inspection with that entry, never left standing', async () => {
      serial += 1;
      const now = h.clock.now.getTime();
      const read = testCpcRead({
        cpcId: `3700FFEE${String(serial).padStart(8, '0')}`,
        entryTime: new Date(now - 2 * HOUR),
        gantries: [{ hex: '000001', time: new Date(now - HOUR), fee: 1000 }],
        noEntry: true,
      });
      const id = (await collector('POST', '/exits', { laneId: TEST_WORLD.laneId, cpc: read })).json()
        .id as string;
      await collector('POST', `/exits/${id}/image`, {
        plate: UNLISTED.plate,
        plateColour: 1,
        photoSha256: photo,
      });
      expect((await fee(id, 0)).json().code).toBe('STN_ERR_EXIT_ENTRY_REQUIRED');
      const stated = await collector('POST', `/exits/${id}/fee`, {
        vehicleClass: 1,
        vehicleKind: 0,
        entryStation: TEST_WORLD.entryStationHex,
      });
      expect(stated.statusCode, stated.body).toBe(200);
      const r = await inspect(id, { result: 'fail' });
      expect(r.statusCode, r.body).toBe(201);
      const t = r.json().transaction as Json;
      expect(t.state).toBe('priced');
      expect((t.fee as Json).fee).toBe((stated.json().fee as Json).fee);
      expect(((t.fee as Json).specials as Json[]).map((s) => s.code)).toContain(126);
    });

    it('a no-card exit priced from the entry chosen at 【算费】 keeps that choice when a fail re-prices it (not the farthest route)', async () => {
      const created = await collector('POST', '/exits', {
        laneId: TEST_WORLD.laneId,
        none: { reason: 'no-card' },
      });
      expect(created.statusCode, created.body).toBe(201);
      const id = created.json().id as string;
      await collector('POST', `/exits/${id}/image`, {
        plate: UNLISTED.plate,
        plateColour: UNLISTED.colour,
        photoSha256: photo,
      });
      const stated = await collector('POST', `/exits/${id}/fee`, {
        vehicleClass: 1,
        vehicleKind: 0,
        entryStation: TEST_WORLD.entryStationHex,
      });
      expect(stated.statusCode, stated.body).toBe(200);
      const before = stated.json().fee as Json;
      const rules = (x: Json) => ((x.decision as Json).trace as Json[]).map((s) => s.rule);
      expect(rules(before)).toContain('NOCARD.STATED');
      const r = await inspect(id, { result: 'fail' });
      expect(r.statusCode, r.body).toBe(201);
      const after = (r.json().transaction as Json).fee as Json;
      expect(rules(after)).toContain('NOCARD.STATED');
      expect(rules(after)).not.toContain('NOCARD.FARTHEST');
      expect(after.fee).toBe(before.fee);
      expect((after.specials as Json[]).map((s) => s.code)).toContain(126);
    });

    it('a later fail whose re-pricing never happened (the station stopped between the two writes): the free fee is refused at the intent', async () => {
      const id = await imaged(APPOINTED);
      const pass = await inspect(id, { result: 'pass' });
      expect(pass.statusCode, pass.body).toBe(201);
      const priced = await fee(id, VEHICLE_KIND.GREEN_CHANNEL);
      expect((priced.json().fee as Json).fee).toBe(0);
      await approveIfAsked(id);
      // The fail's row is written; the process dies before it re-prices the exit (the first of its two writes).
      const db = h.station.services.db.db;
      const row = await db
        .selectFrom('green_inspections')
        .selectAll()
        .where('id', '=', (pass.json().inspection as Json).id as string)
        .executeTakeFirstOrThrow();
      h.clock.now = new Date(h.clock.now.getTime() + 1000);
      await db
        .insertInto('green_inspections')
        .values({
          ...row,
          id: `${row.id.slice(0, -4)}ffff`,
          result: 'fail',
          passed: 0,
          created_at: h.clock.now.toISOString(),
        })
        .execute();
      const free = await collector('POST', `/exits/${id}/debit-intent`, { payment: 'free', amount: 0 });
      expect(free.statusCode, free.body).toBe(409);
      expect(free.json().code).toBe('STN_ERR_GREEN_NOT_INSPECTED');
      // 【算费】 again follows the fail: the normal fee with 126.
      const again = await fee(id, 0);
      expect(((again.json().fee as Json).fee as number) > 0).toBe(true);
      expect(((again.json().fee as Json).specials as Json[]).map((s) => s.code)).toContain(126);
    });

    it('a mixed load does not pass here (the province does not allow it): 126, and kind 21 refused', async () => {
      const id = await imaged(APPOINTED);
      const r = await inspect(id, { result: 'mixed' });
      expect(r.statusCode, r.body).toBe(201);
      expect(r.json().inspection).toMatchObject({ result: 'mixed', passed: false });
      expect((r.json().inspection as Json).refusal).toContain('混装');
      expect((await fee(id, VEHICLE_KIND.GREEN_CHANNEL)).json().code).toBe('STN_ERR_GREEN_NOT_INSPECTED');
      const f = (await fee(id, 0)).json().fee as Json;
      expect((f.specials as Json[]).map((s) => s.code)).toContain(126);
    });

    it('a banned plate: the inspection is kept but cannot pass', async () => {
      const id = await imaged(BANNED);
      const r = await inspect(id, { result: 'pass' });
      expect(r.statusCode, r.body).toBe(201);
      const insp = r.json().inspection as Json;
      expect(insp).toMatchObject({ result: 'pass', passed: false, ban: { type: 2 } });
      expect(insp.refusal).toContain('绿通禁止名单');
      const k21 = await fee(id, VEHICLE_KIND.GREEN_CHANNEL);
      expect(k21.statusCode).toBe(409);
      expect(k21.json().code).toBe('STN_ERR_GREEN_BANNED');
      expect(k21.json().message).toContain('不能按绿通免费通行');
      const kept = (await collector('GET', `/exits/${id}/green-inspection`)).json();
      expect(kept.inspection).toMatchObject({ id: insp.id, passed: false });
    });

    it('an inspection is of the plate it saw: the exit photographed again as another plate (a banned one) is not free', async () => {
      const id = await imaged(APPOINTED);
      const r = await inspect(id, { result: 'pass' });
      expect(r.json().inspection).toMatchObject({ vehicleId: '鲁B6T001_1', passed: true });
      // The same exit, photographed again: now the banned truck's plate.
      const again = await collector('POST', `/exits/${id}/image`, {
        plate: BANNED.plate,
        plateColour: BANNED.colour,
        photoSha256: photo,
      });
      expect(again.statusCode, again.body).toBe(200);
      const k21 = await fee(id, VEHICLE_KIND.GREEN_CHANNEL);
      expect(k21.statusCode, k21.body).toBe(409);
      expect(k21.json().code).toBe('STN_ERR_GREEN_NOT_INSPECTED');
      // Its normal fee carries no pass from the other plate's inspection.
      const normal = await fee(id, 0);
      expect(normal.statusCode, normal.body).toBe(200);
      expect((normal.json().fee as Json).fee as number).toBeGreaterThan(0);
    });

    it('refuses too few photos, a cargo not in the catalogue, a photo never uploaded, a malformed body', async () => {
      const id = await imaged(APPOINTED);
      const few = await inspect(id, { result: 'pass', photos: photos.slice(0, 2) });
      expect(few.statusCode).toBe(422);
      expect(few.json()).toMatchObject({ code: 'STN_ERR_GREEN_PHOTOS_TOO_FEW' });
      expect(few.json().message).toContain('3 张');
      const cargo = await inspect(id, { result: 'pass', cargo: ['V01', 'Z99'] });
      expect(cargo.statusCode).toBe(422);
      expect(cargo.json().code).toBe('STN_ERR_GREEN_CARGO_UNKNOWN');
      const ghost = await inspect(id, { result: 'pass', photos: [...photos.slice(0, 2), 'f'.repeat(64)] });
      expect(ghost.json().code).toBe('STN_ERR_IMAGE_NOT_FOUND');
      for (const bad of [
        { result: 'maybe' },
        { result: 'pass', cargo: [] },
        { result: 'pass', cargo: ['苹果'] },
        { result: 'pass', photos: Array.from({ length: 13 }, (_, i) => i.toString(16).padStart(64, '0')) },
        { result: 'pass', extra: 1 },
      ]) {
        const r = await inspect(id, bad);
        expect(r.statusCode, JSON.stringify(bad)).toBe(400);
      }
      // Nothing refused was kept.
      expect((await collector('GET', `/exits/${id}/green-inspection`)).json().inspection).toBeNull();
    });

    it('refuses a stranger: no session, another collector, a monitor posting; and an exit whose payment was announced', async () => {
      const id = await imaged(APPOINTED);
      const body = { cargo: ['V01'], result: 'pass', photos };
      expect((await h.call('POST', `/exits/${id}/green-inspection`, { body })).statusCode).toBe(401);
      expect((await h.call('GET', `/exits/${id}/green-inspection`)).statusCode).toBe(401);
      const b = await otherCollector(h);
      const other = await as(b.token, 'POST', `/exits/${id}/green-inspection`, body);
      expect([403, 404]).toContain(other.statusCode);
      expect((await as(b.token, 'GET', `/exits/${id}/green-inspection`)).statusCode).toBe(other.statusCode);
      expect((await as(h.tokens.monitor, 'POST', `/exits/${id}/green-inspection`, body)).statusCode).toBe(
        403,
      );
      // After the payment is announced the fee is fixed: no inspection changes it.
      const priced = (await fee(id, 0)).json().fee as Json;
      await approveIfAsked(id);
      const intent = await collector('POST', `/exits/${id}/debit-intent`, {
        payment: 'cash',
        amount: priced.fee,
      });
      expect(intent.statusCode, intent.body).toBe(200);
      const late = await inspect(id, { result: 'pass' });
      expect(late.statusCode).toBe(409);
      expect(late.json().code).toBe('STN_ERR_EXIT_BAD_STATE');
    });

    it('a no-card truck that passes: fee 0, announced free, committed with no card write', async () => {
      const created = await collector('POST', '/exits', {
        laneId: TEST_WORLD.laneId,
        none: { reason: 'no-card', statedEntry: TEST_WORLD.entryStationHex },
      });
      expect(created.statusCode, created.body).toBe(201);
      const id = created.json().id as string;
      const img = await collector('POST', `/exits/${id}/image`, {
        plate: APPOINTED.plate,
        plateColour: APPOINTED.colour,
        photoSha256: photo,
      });
      expect(img.statusCode, img.body).toBe(200);
      expect((await inspect(id, { result: 'pass' })).statusCode).toBe(201);
      const priced = await fee(id, VEHICLE_KIND.GREEN_CHANNEL);
      expect(priced.statusCode, priced.body).toBe(200);
      expect((priced.json().fee as Json).fee).toBe(0);
      await approveIfAsked(id);
      const intent = await collector('POST', `/exits/${id}/debit-intent`, { payment: 'free', amount: 0 });
      expect(intent.statusCode, intent.body).toBe(200);
      const { tradeId } = intent.json() as { tradeId: string };
      const commit = await collector('POST', `/exits/${id}/commit`, { tradeId, cardWrite: 'none' });
      expect(commit.statusCode, commit.body).toBe(201);
      const record = commit.json().record as Json;
      expect(record).toMatchObject({ fee: 0, vehicleClass: 21, discountType: DISCOUNT_TYPE.GREEN_CHANNEL });
      expect((record.specialType as string).split('|')).toContain('128');
      expect(record.greenInspectionId).toBeDefined();
    });

    it('an ETC truck that passes still makes its 0-fen composite purchase (0019 written), record fee 0', async () => {
      const hh = collectorHandheld(h);
      const v = plainVehicle(h, 7_700_001, { plate: APPOINTED.plate, colour: APPOINTED.colour });
      let inspection: Json = {};
      const r = await hh.runExit(v, {
        afterFee: async (t) => {
          const done = await inspect(t.id, { result: 'pass' });
          expect(done.statusCode, done.body).toBe(201);
          inspection = done.json().inspection as Json;
          expect((done.json().transaction as Json).fee).toMatchObject({ fee: 0, vehicleKind: 21 });
          await approveIfAsked(t.id);
        },
      });
      expect(r.fee).toBe(0);
      expect(r.record).toMatchObject({
        fee: 0,
        transFee: 0,
        vehicleClass: 21,
        vehicleSign: VEHICLE_STATUS_FLAG.GREEN_CHANNEL,
        greenInspectionId: inspection.id,
      });
      expect(r.record.payFee).toBeGreaterThan(0);
      expect(r.record.postBalance).toBe(r.record.preBalance);
    });
  });
}

for (const dialect of DIALECTS) {
  describe(`${dialect}: 绿通查验 where the province allows a mixed load and asks for 2 photos`, () => {
    let h: Harness;
    afterAll(async () => h?.close());

    it('a mixed load passes, with two photos', async () => {
      h = await startHarness(
        dialect,
        { greenMixedAllowed: true, greenMinPhotos: 2 },
        { reference: testReference(LISTS) },
      );
      await configureWorld(h);
      const [photo, ...load] = await uploadLoadPhotos(h, 3, 9);
      const now = h.clock.now.getTime();
      const read = testCpcRead({
        cpcId: '3700FFEF00000001',
        entryTime: new Date(now - 2 * HOUR),
        gantries: [{ hex: '000001', time: new Date(now - HOUR), fee: 1000 }],
      });
      const call = (method: 'GET' | 'POST', url: string, body?: unknown) =>
        h.call(method, url, { token: h.tokens.collector, ...(body === undefined ? {} : { body }) });
      const id = (await call('POST', '/exits', { laneId: TEST_WORLD.laneId, cpc: read })).json().id as string;
      await call('POST', `/exits/${id}/image`, { plate: UNLISTED.plate, plateColour: 1, photoSha256: photo });
      const view = (await call('GET', `/exits/${id}/green-inspection`)).json();
      expect(view).toMatchObject({ minPhotos: 2, mixedAllowed: true });
      const r = await call('POST', `/exits/${id}/green-inspection`, {
        cargo: ['A01'],
        result: 'mixed',
        photos: load.slice(0, 2),
      });
      expect(r.statusCode, r.body).toBe(201);
      expect(r.json().inspection).toMatchObject({ result: 'mixed', passed: true, refusal: null });
      const f = await call('POST', `/exits/${id}/fee`, { vehicleClass: 1, vehicleKind: 21 });
      expect(f.statusCode, f.body).toBe(200);
      expect((f.json().fee as Json).fee).toBe(0);
    });
  });
}
