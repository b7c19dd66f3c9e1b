import { beijingCompact, type Fen } from '@tollpad/domain';
import type { NoCardStock } from '@tollpad/station-api';
import { lookupMinFee, type OnlineFeePort } from '@tollpad/tariff';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedOnlineFee } from '../ports/centre-online-fee';
import { type Harness, startHarness } from '../testing/harness';
import { TEST_PNG } from '../testing/sim-handheld';
import { DIALECTS } from '../testing/test-db';
import { configureWorld, TEST_NETWORK, TEST_WORLD, testReference } from '../testing/world';

type Json = Record<string, unknown>;

const tables = testReference().tariff.tables;
const entry = TEST_NETWORK.stations[0]!;
/** M (class 1) from a station to the TEST exit, fen (null: unreachable). */
const mFrom = (hex: string): number | null => {
  const r = lookupMinFee(tables, hex, TEST_WORLD.stationId, 1);
  return r.ok && r.value.reachable ? r.value.fee : null;
};
const yuan = (fen: number) => Math.floor(fen / 100) * 100;
const M_ENTRY = mFrom(entry.hex)!;
/** The farthest route to the TEST exit: the largest M over every station. */
const M_FARTHEST = Math.max(...TEST_NETWORK.stations.map((s) => mFrom(s.hex) ?? 0));

/** TEST plates: one the centre holds passages for (entry = the TEST entry), the others it never saw. */
const SEEN = '鲁A11111';
const CENTRE_FEE = M_ENTRY + 100;
const centre: OnlineFeePort = async (req) =>
  req.plate === SEEN && req.entryStation === undefined
    ? { ok: true, fee: CENTRE_FEE as Fen, fee95: CENTRE_FEE as Fen, mileageM: 12_000, entryStation: entry.id }
    : { ok: false, reason: '省中心无该车牌的通行记录 (TEST)' };

for (const dialect of DIALECTS) {
  describe(`${dialect}: a no-card exit through the HTTP API`, () => {
    let h: Harness;
    let shiftId: string;
    let photo: string;
    let plateNo = 0;
    /** A TEST plate the centre never saw, new for each vehicle. */
    const unseen = () => `鲁B${String(++plateNo).padStart(5, '0')}`;

    const as = (token: string, method: 'GET' | 'POST', url: string, body?: unknown) =>
      h.call(method, url, { token, ...(body === undefined ? {} : { body }) });
    const collector = (method: 'GET' | 'POST', url: string, body?: unknown) =>
      as(h.tokens.collector, method, url, body);

    /** The TEST clock moves on a few seconds per vehicle: a no-card PassID is the lane and the exit second. */
    const tick = (ms = 5000) => {
      h.clock.now = new Date(h.clock.now.getTime() + ms);
    };

    async function created(none: Json): Promise<string> {
      tick();
      const r = await collector('POST', '/exits', { laneId: TEST_WORLD.laneId, none });
      expect(r.statusCode, r.body).toBe(201);
      expect(r.json()).toMatchObject({ medium: 'none', state: 'read' });
      return r.json().id as string;
    }

    /** 【读卡】 (no card) → 【提交图片数据】 → 【算费】. */
    async function priced(none: Json, plate: string, fee: Json = {}): Promise<Json> {
      const id = await created(none);
      const imaged = await collector('POST', `/exits/${id}/image`, {
        plate,
        plateColour: 0,
        photoSha256: photo,
      });
      expect(imaged.statusCode, imaged.body).toBe(200);
      const r = await collector('POST', `/exits/${id}/fee`, { vehicleClass: 1, vehicleKind: 0, ...fee });
      expect(r.statusCode, r.body).toBe(200);
      return r.json();
    }

    async function announce(t: Json, moveClock = true): Promise<{ status: number; body: Json }> {
      const id = t.id as string;
      if ((t.authorisation as Json).status === 'required') {
        const ok = await as(h.tokens.monitor, 'POST', `/exits/${id}/authorisation`, {
          approve: true,
          reason: '司机所述入口核实 (TEST)',
        });
        expect(ok.statusCode, ok.body).toBe(200);
      }
      const amount = ((await collector('GET', `/exits/${id}`)).json().fee as Json).fee as number;
      if (moveClock) tick();
      const r = await collector('POST', `/exits/${id}/debit-intent`, { payment: 'cash', amount });
      return { status: r.statusCode, body: r.json() };
    }

    async function committed(t: Json): Promise<Json> {
      const intent = await announce(t);
      expect(intent.status, JSON.stringify(intent.body)).toBe(200);
      const r = await collector('POST', `/exits/${t.id}/commit`, {
        tradeId: intent.body.tradeId,
        cardWrite: 'none',
      });
      expect(r.statusCode, r.body).toBe(201);
      return r.json().record as Json;
    }

    const noCardStock = async () =>
      (await collector('GET', `/shifts/${shiftId}/report`)).json().noCardStock as NoCardStock;

    beforeAll(async () => {
      h = await startHarness(
        dialect,
        { noCardRepeatWindowHours: 2 },
        { onlineFeeSource: fixedOnlineFee(centre) },
      );
      ({ shiftId } = await configureWorld(h));
      const img = await h.call('POST', '/images', {
        token: h.tokens.collector,
        body: TEST_PNG,
        headers: { 'content-type': 'image/png' },
      });
      photo = img.json().sha256 as string;
    });
    afterAll(async () => h?.close());

    it('a: the plate the centre knows → its online fee (4), no monitor; record mediaType 9, PassID 030 + lane + exit time', async () => {
      const before = await noCardStock();
      const t = await priced({ reason: 'no-card' }, SEEN);
      expect(t).toMatchObject({ medium: 'none', cardId: '', authorisation: { status: 'none' } });
      expect(t.fee).toMatchObject({
        exitFeeType: 4,
        fee: yuan(CENTRE_FEE),
        payment: 'by-method',
        payable: true,
      });
      const record = await committed(t);
      expect(record).toMatchObject({
        mediaType: 9,
        noCardReason: 'no-card',
        feeRule: 'NOCARD.PLATE',
        inferredEntry: entry.id,
        feeEntryStationId: entry.id,
        cardCost: 0,
        fee: yuan(CENTRE_FEE),
        payType: 1,
        exitFeeType: 4,
        specialType: '36',
        noCardCount: 1,
        vehicleId: `${SEEN}_0`,
      });
      expect(record).not.toHaveProperty('mediaNo');
      expect(record.passId).toBe(
        `030${TEST_WORLD.laneId}${beijingCompact(new Date(record.exTime as string))}`,
      );
      expect(await noCardStock()).toEqual({ ...before, exits: before.exits + 1, noCard: before.noCard + 1 });
    });

    it('b: a plate the centre never saw, a lost CPC and a stated entry → M of that entry (6) + ¥40, with the monitor', async () => {
      const before = await noCardStock();
      const t = await priced({ reason: 'lost', statedEntry: entry.hex }, unseen());
      const fee = t.fee as Json;
      expect(fee).toMatchObject({ exitFeeType: 6, fee: yuan(M_ENTRY) + 4000 });
      expect((t.authorisation as Json).status).toBe('required');
      const rules = ((fee.decision as Json).trace as Json[]).map((s) => s.rule);
      expect(rules).toEqual(
        expect.arrayContaining(['NOCARD.PLATE_FAILED', 'NOCARD.STATED', 'NOCARD.CARD_COST']),
      );
      const record = await committed(t);
      expect(record).toMatchObject({
        mediaType: 9,
        noCardReason: 'lost',
        feeRule: 'NOCARD.STATED',
        statedEntry: entry.hex,
        feeEntryStationId: entry.id,
        cardCost: 4000,
        fee: yuan(M_ENTRY) + 4000,
        payFee: yuan(M_ENTRY) + 4000,
        specialType: '36|61',
      });
      expect(await noCardStock()).toEqual({
        ...before,
        exits: before.exits + 1,
        lost: before.lost + 1,
        cardCost: before.cardCost + 4000,
      });
    });

    it('b: the entry chosen at 【算费】 is the statement; one not on the network → the farthest route with its reason', async () => {
      const chosen = await priced({ reason: 'no-card' }, unseen(), { entryStation: entry.id });
      expect((chosen.fee as Json).exitFeeType).toBe(6);
      expect((chosen.fee as Json).fee).toBe(yuan(M_ENTRY));
      const unknown = await priced({ reason: 'no-card', statedEntry: 'FFFFFFF0' }, unseen());
      const trace = ((unknown.fee as Json).decision as Json).trace as Json[];
      expect(trace.find((s) => s.rule === 'NOCARD.STATED_UNKNOWN')?.text).toContain('不是本路网的收费站');
      expect((unknown.fee as Json).fee).toBe(yuan(M_FARTHEST));
      expect(((unknown.checks as Json).actions as string[]).join()).toContain('不在本路网');
    });

    it('b: an entry chosen at 【算费】 after a refusal at 【读卡】 is on the record as the statement, not as a refusal', async () => {
      const t = await priced({ reason: 'no-card', refused: true }, unseen(), { entryStation: entry.id });
      expect((t.fee as Json).fee).toBe(yuan(M_ENTRY));
      const record = await committed(t);
      expect(record).toMatchObject({ feeRule: 'NOCARD.STATED', statedEntry: entry.id });
      expect(record).not.toHaveProperty('entryRefused');
    });

    it('c: the driver refuses → the farthest route (6), recorded as refused', async () => {
      const t = await priced({ reason: 'no-card', refused: true }, unseen());
      expect(t.fee).toMatchObject({ exitFeeType: 6, fee: yuan(M_FARTHEST) });
      const record = await committed(t);
      expect(record).toMatchObject({ feeRule: 'NOCARD.FARTHEST', entryRefused: true, cardCost: 0 });
      expect(record).not.toHaveProperty('statedEntry');
    });

    it('a damaged CPC with its label ID legible → mediaType 2, that ID, special 35, card cost; counted apart', async () => {
      const before = await noCardStock();
      const cpcId = '3700FFFF0000ABCD';
      const t = await priced({ reason: 'damaged', cpcId: cpcId.toLowerCase(), refused: true }, unseen());
      expect(t.cardId).toBe(cpcId);
      const record = await committed(t);
      expect(record).toMatchObject({
        mediaType: 2,
        mediaNo: cpcId,
        noCardReason: 'damaged',
        cardCost: 4000,
        specialType: '35|61',
      });
      expect(record.passId).toBe(`020000${cpcId}${beijingCompact(new Date(record.exTime as string))}`);
      expect(await noCardStock()).toMatchObject({ damaged: before.damaged + 1 });
    });

    it('the same vehicle never pays twice as no-card: refused at the photo and, under the claim, at the intent', async () => {
      // Paid above (test a): the same plate at the photo step.
      const again = await created({ reason: 'no-card' });
      const photoAgain = await collector('POST', `/exits/${again}/image`, {
        plate: SEEN,
        plateColour: 0,
        photoSha256: photo,
      });
      expect(photoAgain.statusCode).toBe(409);
      expect(photoAgain.json()).toMatchObject({ code: 'STN_ERR_EXIT_NOCARD_REPEAT' });
      expect(photoAgain.json().message).toContain('交易编号');
      // Two collectors price the same new plate side by side: the first intent holds it, the second is refused.
      const plate = unseen();
      const first = await priced({ reason: 'no-card', refused: true }, plate);
      const second = await priced({ reason: 'no-card', refused: true }, plate);
      expect((await announce(first)).status).toBe(200);
      const refused = await announce(second);
      expect(refused.status).toBe(409);
      expect(refused.body).toMatchObject({ code: 'STN_ERR_EXIT_NOCARD_REPEAT' });
      // The first payment did not happen after all: the plate is free again for the second.
      const undone = await collector('POST', `/exits/${first.id}/recover`, { outcome: 'not-debited' });
      expect(undone.statusCode, undone.body).toBe(200);
      expect((await announce(second)).status).toBe(200);
      // The same plate's colour differs: another vehicle.
      const other = await created({ reason: 'no-card' });
      const blue = await collector('POST', `/exits/${other}/image`, {
        plate: SEEN,
        plateColour: 1,
        photoSha256: photo,
      });
      expect(blue.statusCode, blue.body).toBe(200);
    });

    it('two vehicles paying in the same second on one lane get PassIDs a second apart, neither refused', async () => {
      const a = await priced({ reason: 'no-card', refused: true }, unseen());
      const b = await priced({ reason: 'no-card', refused: true }, unseen());
      const first = await announce(a, false);
      const second = await announce(b, false);
      expect([first.status, second.status]).toEqual([200, 200]);
      const t0 = beijingCompact(h.clock.now);
      const t1 = beijingCompact(new Date(h.clock.now.getTime() + 1000));
      expect([first.body.passId, second.body.passId]).toEqual([
        `030${TEST_WORLD.laneId}${t0}`,
        `030${TEST_WORLD.laneId}${t1}`,
      ]);
      for (const [t, i] of [
        [a, first],
        [b, second],
      ] as const) {
        const c = await collector('POST', `/exits/${t.id}/commit`, {
          tradeId: i.body.tradeId,
          cardWrite: 'none',
        });
        expect(c.statusCode, c.body).toBe(201);
        expect(c.json().record.passId).toBe(i.body.passId);
      }
    });

    it('the repeat window ends: the plate pays as no-card again after it', async () => {
      tick(2 * 3600_000 + 60_000);
      const t = await priced({ reason: 'no-card' }, SEEN);
      expect((await announce(t)).status).toBe(200);
    });

    it('refuses hostile and contradictory bodies as a stranger would send them', async () => {
      const lane = TEST_WORLD.laneId;
      const post = (none: unknown, token: string | null = h.tokens.collector) =>
        h.call('POST', '/exits', { ...(token ? { token } : {}), body: { laneId: lane, none } });
      expect((await post({ reason: 'no-card' }, null)).statusCode).toBe(401);
      const invalid = [
        { reason: 'stolen' },
        { reason: 'no-card', extra: 1 },
        { reason: 'damaged', cpcId: 'XYZ' },
        { reason: 'no-card', statedEntry: 'G'.repeat(15) },
        { reason: 'no-card', statedEntry: "'; DROP TABLE--" },
        { reason: 'no-card', refused: 'yes' },
        'no-card',
      ];
      for (const body of invalid) {
        const r = await post(body);
        expect(r.statusCode, JSON.stringify(body)).toBe(400);
      }
      for (const body of [
        { reason: 'no-card', cpcId: '3700FFFF0000ABCD' },
        { reason: 'lost', refused: true, statedEntry: entry.hex },
      ]) {
        const r = await post(body);
        expect(r.statusCode, r.body).toBe(422);
        expect(r.json().code).toBe('STN_ERR_EXIT_NOCARD_INVALID');
      }
      // A no-card exit takes no card's proof or write, and a commit claiming one is refused before anything.
      const t = await priced({ reason: 'no-card', refused: true }, unseen());
      const intent = await announce(t);
      expect(intent.status).toBe(200);
      for (const body of [
        { tradeId: intent.body.tradeId, cardWrite: 'written' },
        { tradeId: intent.body.tradeId, cardWrite: 'not-written', reason: 'x' },
      ]) {
        const r = await collector('POST', `/exits/${t.id}/commit`, body);
        expect(r.statusCode, r.body).toBe(409);
        expect(r.json().code).toBe('STN_ERR_EXIT_MEDIUM_MISMATCH');
      }
      // Another collector's commit of this exit is not theirs to make.
      const stranger = await as(h.tokens.monitor, 'POST', `/exits/${t.id}/commit`, {
        tradeId: intent.body.tradeId,
        cardWrite: 'none',
      });
      expect(stranger.statusCode).toBe(403);
    });
  });
}
