import { beijingCompact, SPECIAL, toIsoBeijing } from '@tollpad/domain';
import type { CpcRead } from '@tollpad/station-api';
import { lookupMinFee } from '@tollpad/tariff';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../testing/harness';
import { otherCollector } from '../testing/other-collector';
import { TEST_PNG } from '../testing/sim-handheld';
import { testCpcRead } from '../testing/test-cpc';
import { DIALECTS } from '../testing/test-db';
import { configureWorld, TEST_WORLD, testReference } from '../testing/world';

type Json = Record<string, unknown>;

/** The plain minimum fee M of a class-1 trip from the TEST entry to this exit (the CPC band's base). */
const minFee = (() => {
  const r = lookupMinFee(testReference().tariff.tables, TEST_WORLD.entryStationHex, TEST_WORLD.stationId, 1);
  if (!r.ok || !r.value.reachable) throw new Error('TEST tariff: no min fee');
  return r.value.fee;
})();

const HOUR = 3600_000;

for (const dialect of DIALECTS) {
  describe(`${dialect}: a CPC exit through the HTTP API`, () => {
    let h: Harness;
    let shiftId: string;
    let photo: string;
    let serial = 0;

    /** A TEST CPC written by the TEST entry and one gantry of the TEST world, an hour before the exit. */
    const cpc = (over: Partial<Parameters<typeof testCpcRead>[0]> = {}): CpcRead => {
      serial += 1;
      const now = h.clock.now.getTime();
      return testCpcRead({
        cpcId: `3700FFFF${String(serial).padStart(8, '0')}`,
        entryTime: new Date(now - 2 * HOUR),
        gantries: [{ hex: '000001', time: new Date(now - HOUR), fee: minFee }],
        ...over,
      });
    };
    const as = (token: string, method: 'GET' | 'POST', url: string, body?: unknown) =>
      h.call(method, url, { token, ...(body === undefined ? {} : { body }) });
    const collector = (method: 'GET' | 'POST', url: string, body?: unknown) =>
      as(h.tokens.collector, method, url, body);

    /** 【读卡】 → 【提交图片数据】 → 【算费】: the priced transaction. */
    async function priced(read: CpcRead, plate = '鲁A12345'): Promise<Json> {
      const created = await collector('POST', '/exits', { laneId: TEST_WORLD.laneId, cpc: read });
      expect(created.statusCode, created.body).toBe(201);
      const id = created.json().id as string;
      const imaged = await collector('POST', `/exits/${id}/image`, {
        plate,
        plateColour: 0,
        photoSha256: photo,
      });
      expect(imaged.statusCode, imaged.body).toBe(200);
      const fee = await collector('POST', `/exits/${id}/fee`, { vehicleClass: 1, vehicleKind: 0 });
      expect(fee.statusCode, fee.body).toBe(200);
      return fee.json();
    }

    async function paid(t: Json): Promise<{ tradeId: string; passId: string }> {
      const id = t.id as string;
      if ((t.authorisation as Json).status === 'required') {
        const ok = await as(h.tokens.monitor, 'POST', `/exits/${id}/authorisation`, {
          approve: true,
          reason: '核实无误 (TEST)',
        });
        expect(ok.statusCode, ok.body).toBe(200);
      }
      const amount = ((await collector('GET', `/exits/${id}`)).json().fee as Json).fee as number;
      const intent = await collector('POST', `/exits/${id}/debit-intent`, { payment: 'cash', amount });
      expect(intent.statusCode, intent.body).toBe(200);
      return intent.json();
    }

    const stock = async () =>
      (await collector('GET', `/shifts/${shiftId}/report`)).json().cpcStock as {
        collected: number;
        writeFailed: number;
        lowBattery: number;
      };

    beforeAll(async () => {
      // A short repeat-exit window, so that its end is reached within a session's lifetime.
      h = await startHarness(dialect, { cpcRepeatExitWindowHours: 2 });
      ({ shiftId } = await configureWorld(h));
      const img = await h.call('POST', '/images', {
        token: h.tokens.collector,
        body: TEST_PNG,
        headers: { 'content-type': 'image/png' },
      });
      photo = img.json().sha256 as string;
    });
    afterAll(async () => h?.close());

    it('reads, prices from the card, takes cash, commits the written card: one CPC record, one card collected', async () => {
      const before = await stock();
      const read = cpc();
      const t = await priced(read);
      expect(t).toMatchObject({ medium: 'cpc', state: 'priced', cardId: read.sysInfo.slice(16, 32) });
      const fee = t.fee as Json;
      expect(fee).toMatchObject({ payment: 'by-method', payable: true, etcPayable: false });
      expect(fee.exitFeeType).toBe(3);
      const { tradeId, passId } = await paid(t);
      const cpcId = read.sysInfo.slice(16, 32);
      expect(passId).toBe(`020000${cpcId}${beijingCompact(new Date(h.clock.now.getTime() - 2 * HOUR))}`);
      expect(passId).toHaveLength(36);
      const commit = await collector('POST', `/exits/${t.id}/commit`, { tradeId, cardWrite: 'written' });
      expect(commit.statusCode, commit.body).toBe(201);
      const record = commit.json().record as Json;
      expect(record).toMatchObject({
        id: tradeId,
        passId,
        mediaType: 2,
        mediaNo: cpcId,
        cpcCardId: cpcId,
        payType: 1,
        exitFeeType: 3,
        fee: fee.fee,
        cpcElec: 80,
        cpcCardEnStation: TEST_WORLD.entryStationHex,
        cpcCardProCount: 1,
        cardTotalAmount: minFee,
        enTollStationHex: TEST_WORLD.entryStationHex,
        specialType: '',
      });
      expect(record).not.toHaveProperty('tac');
      expect(await stock()).toEqual({ ...before, collected: before.collected + 1 });
    });

    it('commits a card whose write failed with the write-failed special, the payment standing, counted once on replay', async () => {
      const before = await stock();
      const t = await priced(cpc({ batteryPercent: 10, batteryLow: true }));
      expect(((t.checks as Json).specials as Json[]).map((s) => s.code)).toEqual([SPECIAL.CPC_BATTERY_LOW]);
      const { tradeId } = await paid(t);
      const body = { tradeId, cardWrite: 'not-written', reason: 'UPDATE 6581 (TEST)' };
      const first = await collector('POST', `/exits/${t.id}/commit`, body);
      expect(first.statusCode, first.body).toBe(201);
      const record = first.json().record as Json;
      expect(record.specialType).toBe(`${SPECIAL.CPC_BATTERY_LOW}|523`);
      expect(record.description).toContain('CPC写卡失败过车');
      expect(record.fee).toBe((t.fee as Json).fee);
      const again = await collector('POST', `/exits/${t.id}/commit`, body);
      expect([again.statusCode, again.json().replayed, again.json().record]).toEqual([200, true, record]);
      // The same trade ID with another outcome is not the same commit.
      const other = await collector('POST', `/exits/${t.id}/commit`, { tradeId, cardWrite: 'written' });
      expect([other.statusCode, other.json().code]).toEqual([409, 'STN_ERR_EXIT_COMMIT_CONFLICT']);
      const after = await stock();
      expect(after).toEqual({
        collected: before.collected + 1,
        writeFailed: before.writeFailed + 1,
        lowBattery: before.lowBattery + 1,
      });
      const html = (await as(h.tokens.monitor, 'GET', `/shifts/${shiftId}/report.html`)).body;
      expect(html).toContain(
        `收回CPC卡：${after.collected} 张　其中写卡失败：${after.writeFailed} 张　电量过低：${after.lowBattery} 张`,
      );
    });

    it('prices a card without a live entry from the stated entry (26), after the monitor authorises it', async () => {
      const read = cpc({ noEntry: true, gantries: [] });
      const created = await collector('POST', '/exits', { laneId: TEST_WORLD.laneId, cpc: read });
      expect(created.statusCode, created.body).toBe(201);
      const id = created.json().id as string;
      const checks = created.json().checks as Json;
      expect((checks.specials as Json[]).map((s) => s.code)).toContain(SPECIAL.CARD_ENTRY_INVALID);
      await collector('POST', `/exits/${id}/image`, {
        plate: '鲁A12345',
        plateColour: 0,
        photoSha256: photo,
      });
      const noEntry = await collector('POST', `/exits/${id}/fee`, { vehicleClass: 1, vehicleKind: 0 });
      expect(noEntry.json().code).toBe('STN_ERR_EXIT_ENTRY_REQUIRED');
      const fee = await collector('POST', `/exits/${id}/fee`, {
        vehicleClass: 1,
        vehicleKind: 0,
        entryStation: TEST_WORLD.entryStationHex,
      });
      expect(fee.statusCode, fee.body).toBe(200);
      const t = fee.json() as Json;
      expect((t.fee as Json).exitFeeType).not.toBe(3);
      const { tradeId } = await paid(t);
      const commit = await collector('POST', `/exits/${id}/commit`, { tradeId, cardWrite: 'written' });
      expect(commit.statusCode, commit.body).toBe(201);
      expect((commit.json().record as Json).specialType as string).toContain(
        String(SPECIAL.CARD_ENTRY_INVALID),
      );
    });

    it('notes the entry plate against the photo’s plate (52)', async () => {
      const t = await priced(cpc(), '鲁B54321');
      expect(((t.checks as Json).imageSpecials as Json[]).map((s) => s.code)).toEqual([
        SPECIAL.ENTRY_EXIT_PLATE,
      ]);
    });

    it('refuses a body of the other medium, and a collector of another terminal, at every step', async () => {
      const t = await priced(cpc());
      const id = t.id as string;
      const etcIntent = {
        cardId: '99010000000000000001',
        cardAtc: 1,
        amount: 1,
        psamTerminalNo: TEST_WORLD.psam,
        terminalTransNo: '00000001',
        datetime: beijingCompact(h.clock.now),
      };
      const wrong = await collector('POST', `/exits/${id}/debit-intent`, etcIntent);
      expect([wrong.statusCode, wrong.json().code]).toEqual([409, 'STN_ERR_EXIT_MEDIUM_MISMATCH']);
      const b = await otherCollector(h);
      const amount = (t.fee as Json).fee as number;
      const refused = [
        await as(b.token, 'GET', `/exits/${id}`),
        await as(b.token, 'POST', `/exits/${id}/fee`, { vehicleClass: 1, vehicleKind: 0 }),
        await as(b.token, 'POST', `/exits/${id}/debit-intent`, { payment: 'cash', amount }),
      ].map((r) => [r.statusCode, r.json().code]);
      expect(refused).toEqual(Array(3).fill([403, 'STN_ERR_EXIT_NOT_YOURS']));
      const { tradeId } = await paid(t);
      const stolen = await as(b.token, 'POST', `/exits/${id}/commit`, { tradeId, cardWrite: 'written' });
      expect([stolen.statusCode, stolen.json().code]).toEqual([403, 'STN_ERR_EXIT_NOT_YOURS']);
      const etcProof = await collector('POST', `/exits/${id}/commit`, {
        tradeId,
        tac: '00000000',
        psamTerminalNo: TEST_WORLD.psam,
        terminalTransNo: '00000001',
        cardTransNo: 1,
        preBalance: amount,
        postBalance: 0,
        algorithm: 1,
      });
      expect([etcProof.statusCode, etcProof.json().code]).toEqual([409, 'STN_ERR_EXIT_MEDIUM_MISMATCH']);
      // The genuine commit still goes through.
      const ok = await collector('POST', `/exits/${id}/commit`, { tradeId, cardWrite: 'written' });
      expect(ok.statusCode, ok.body).toBe(201);
    });

    it('takes one payment per CPC trip: a re-read after the commit, or beside a pending intent, is refused', async () => {
      const read = cpc();
      const first = await priced(read);
      // A second reading of the same card, e.g. on another handheld, while the first cash is pending.
      const second = await priced(read);
      const p1 = await paid(first);
      const amount = (second.fee as Json).fee as number;
      const intent = () => collector('POST', `/exits/${second.id}/debit-intent`, { payment: 'cash', amount });
      const pending = await intent();
      expect([pending.statusCode, pending.json().code]).toEqual([409, 'STN_ERR_EXIT_PASS_PAID']);
      // The write failed: the card still holds its live entry, and reading it again must not charge again.
      const c1 = await collector('POST', `/exits/${first.id}/commit`, {
        tradeId: p1.tradeId,
        cardWrite: 'not-written',
      });
      expect(c1.statusCode, c1.body).toBe(201);
      const after = await intent();
      expect([after.statusCode, after.json().code]).toEqual([409, 'STN_ERR_EXIT_PASS_PAID']);
      // Read again now, the card still holding that entry: refused at 【读卡】, naming the exit committed.
      const third = await collector('POST', '/exits', { laneId: TEST_WORLD.laneId, cpc: read });
      expect([third.statusCode, third.json().code]).toEqual([409, 'STN_ERR_EXIT_CPC_ALREADY_EXITED']);
      expect(third.json().message).toContain(p1.tradeId);
      // The refused transactions are still open to cancel.
      const cancelled = await collector('POST', `/exits/${second.id}/cancel`, { reason: '重复读卡 (TEST)' });
      expect(cancelled.statusCode, cancelled.body).toBe(200);
    });

    it('refuses at 【读卡】 a card whose trip holds a pending cash intent (STN_ERR_EXIT_PASS_PAID), before any photo or fee', async () => {
      const read = cpc();
      const first = await priced(read);
      const { passId } = await paid(first);
      const before = (await h.station.services.exits.list({ limit: 500 })).length;
      const again = await collector('POST', '/exits', { laneId: TEST_WORLD.laneId, cpc: read });
      expect([again.statusCode, again.json().code]).toEqual([409, 'STN_ERR_EXIT_PASS_PAID']);
      expect(again.json().detail).toContain(passId);
      expect((await h.station.services.exits.list({ limit: 500 })).length).toBe(before);
    });

    /** The card as read after its exit flag was written: DF01/EF01 bytes 23–24 = 02 02 (cpc-card.md §6). */
    const closed = (r: CpcRead): CpcRead => ({
      ...r,
      entry: `${r.entry.slice(0, 46)}0202${r.entry.slice(50)}`,
    });

    it('refuses a closed CPC re-read after its exit was committed here, within the window, naming that exit', async () => {
      const read = cpc();
      const first = await priced(read);
      const { tradeId } = await paid(first);
      const exitAt = h.clock.now;
      const c = await collector('POST', `/exits/${first.id}/commit`, { tradeId, cardWrite: 'written' });
      expect(c.statusCode, c.body).toBe(201);
      h.clock.now = new Date(exitAt.getTime() + 90 * 60_000);
      const again = await collector('POST', '/exits', { laneId: TEST_WORLD.laneId, cpc: closed(read) });
      expect([again.statusCode, again.json().code]).toEqual([409, 'STN_ERR_EXIT_CPC_ALREADY_EXITED']);
      const when = toIsoBeijing(exitAt).slice(0, 19).replace('T', ' ');
      expect(again.json().message).toBe(
        `该CPC卡已于${when}（交易编号 ${tradeId}）完成出口交易，请勿重复收费；如有疑问请联系班长`,
      );
      expect(again.json().detail).toBe(`${tradeId} ${exitAt.toISOString()}`);
      // After the window (2 h here, 24 h by default) the closed card is read as a card without entry (26).
      h.clock.now = new Date(exitAt.getTime() + 2 * HOUR + 60_000);
      const later = await collector('POST', '/exits', { laneId: TEST_WORLD.laneId, cpc: closed(read) });
      expect(later.statusCode, later.body).toBe(201);
      expect(((later.json().checks as Json).specials as Json[]).map((s) => s.code)).toContain(
        SPECIAL.CARD_ENTRY_INVALID,
      );
    });

    it('reads a collected CPC entered again (another trip than its exit here) as a new trip', async () => {
      const read = cpc();
      const cpcId = read.sysInfo.slice(16, 32);
      const first = await priced(read);
      const { tradeId } = await paid(first);
      await collector('POST', `/exits/${first.id}/commit`, { tradeId, cardWrite: 'written' });
      // Handed out again at an entry 10 minutes later and driven back here within the window.
      const exitAt = h.clock.now.getTime();
      h.clock.now = new Date(exitAt + 40 * 60_000);
      const again = cpc({ cpcId, entryTime: new Date(exitAt + 10 * 60_000), gantries: [] });
      const r = await collector('POST', '/exits', { laneId: TEST_WORLD.laneId, cpc: again });
      expect(r.statusCode, r.body).toBe(201);
      // A training card written anew with a back-dated entry names another trip too (its own PassID).
      const rewritten = cpc({ cpcId, entryTime: new Date(exitAt - 3 * HOUR), gantries: [] });
      const t = await collector('POST', '/exits', { laneId: TEST_WORLD.laneId, cpc: rewritten });
      expect(t.statusCode, t.body).toBe(201);
    });

    it('notes the card layer’s reason for a failed write: UK1 locked 34, damaged 35, others the write-failed special only', async () => {
      const cases: [string | undefined, string][] = [
        ['CPC_UK1_LOCKED', `${SPECIAL.CPC_UK1_LOCKED}|523`],
        ['EXTERNAL_AUTH_FAILED', `${SPECIAL.CPC_DAMAGED}|523`],
        ['WRONG_CARD', '523'],
        [undefined, '523'],
      ];
      for (const [cardError, specials] of cases) {
        const t = await priced(cpc());
        const { tradeId } = await paid(t);
        const body = { tradeId, cardWrite: 'not-written', ...(cardError ? { cardError } : {}) };
        const c = await collector('POST', `/exits/${t.id}/commit`, body);
        expect(c.statusCode, c.body).toBe(201);
        expect([cardError, (c.json().record as Json).specialType]).toEqual([cardError, specials]);
      }
    });

    it('refuses a card error beside a written card, or one the card layer does not name', async () => {
      const t = await priced(cpc());
      const { tradeId } = await paid(t);
      const written = await collector('POST', `/exits/${t.id}/commit`, {
        tradeId,
        cardWrite: 'written',
        cardError: 'CPC_UK1_LOCKED',
      });
      expect([written.statusCode, written.json().code]).toEqual([400, 'STN_ERR_REQ_INVALID']);
      const unknown = await collector('POST', `/exits/${t.id}/commit`, {
        tradeId,
        cardWrite: 'not-written',
        cardError: 'NOT_A_CARD_CODE',
      });
      expect([unknown.statusCode, unknown.json().code]).toEqual([400, 'STN_ERR_REQ_INVALID']);
      const ok = await collector('POST', `/exits/${t.id}/commit`, { tradeId, cardWrite: 'written' });
      expect(ok.statusCode, ok.body).toBe(201);
    });

    it('takes an entry class of 0 (unknown at entry) as no class on the card: no 51, no authorisation', async () => {
      const t = await priced(cpc({ vehicleClass: 0 }));
      const fee = t.fee as Json;
      expect((fee.specials as Json[]).map((s) => s.code)).not.toContain(SPECIAL.ENTRY_EXIT_CLASS);
      expect((t.authorisation as Json).status).toBe('none');
      expect(fee.exitFeeType).toBe(3);
    });

    it('gives the trip back when the cash was not taken, so another transaction can take it', async () => {
      const read = cpc();
      const first = await priced(read);
      await paid(first);
      const back = await collector('POST', `/exits/${first.id}/recover`, { outcome: 'not-debited' });
      expect(back.statusCode, back.body).toBe(200);
      await collector('POST', `/exits/${first.id}/cancel`, { reason: '重新读卡 (TEST)' });
      const second = await priced(read);
      const { tradeId } = await paid(second);
      const commit = await collector('POST', `/exits/${second.id}/commit`, { tradeId, cardWrite: 'written' });
      expect(commit.statusCode, commit.body).toBe(201);
    });

    it('names the trip by the card’s entry time when the entry station is unknown (37)', async () => {
      const entryTime = new Date(h.clock.now.getTime() - 3 * HOUR);
      const read = cpc({ entryStation: '3799FFFF', entryTime });
      const created = await collector('POST', '/exits', { laneId: TEST_WORLD.laneId, cpc: read });
      expect(created.statusCode, created.body).toBe(201);
      const id = created.json().id as string;
      expect(((created.json().checks as Json).specials as Json[]).map((s) => s.code)).toContain(
        SPECIAL.CPC_ENTRY_STATION_INVALID,
      );
      await collector('POST', `/exits/${id}/image`, {
        plate: '鲁A12345',
        plateColour: 0,
        photoSha256: photo,
      });
      const fee = await collector('POST', `/exits/${id}/fee`, {
        vehicleClass: 1,
        vehicleKind: 0,
        entryStation: TEST_WORLD.entryStationHex,
      });
      expect(fee.statusCode, fee.body).toBe(200);
      const { passId } = await paid(fee.json());
      expect(passId).toBe(`020000${read.sysInfo.slice(16, 32)}${beijingCompact(entryTime)}`);
    });

    it('commits the cash whatever the card’s axle byte says: an axle count the record cannot hold is left out', async () => {
      const read = cpc();
      // DF01/EF01 byte 30 (货车轴数) = 0x20: 32 axles, more than a record holds.
      const t = await priced({ ...read, entry: `${read.entry.slice(0, 60)}20${read.entry.slice(62)}` });
      const { tradeId } = await paid(t);
      const c = await collector('POST', `/exits/${t.id}/commit`, { tradeId, cardWrite: 'written' });
      expect(c.statusCode, c.body).toBe(201);
      expect(c.json().record).toMatchObject({ axleCount: 0, fee: (t.fee as Json).fee });
      expect(c.json().record).not.toHaveProperty('enAxleCount');
    });

    it('puts a cash intent back to priced when the cash was not taken, with a new trade ID after', async () => {
      const t = await priced(cpc());
      const first = await paid(t);
      const back = await collector('POST', `/exits/${t.id}/recover`, { outcome: 'not-debited' });
      expect([back.statusCode, back.json().transaction.state]).toEqual([200, 'priced']);
      const second = await paid(t);
      expect(second.tradeId).not.toBe(first.tradeId);
    });

    /** Hostile reads: each is a bad card, answered 400 with the bad-card advice and no transaction opened. */
    const hostile: [string, (r: CpcRead) => CpcRead][] = [
      [
        'random bytes in every file',
        (r) => ({ ...r, sysInfo: 'A5'.repeat(30), entry: '5A'.repeat(39), pass: 'FF'.repeat(101) }),
      ],
      ['a short system file', (r) => ({ ...r, sysInfo: r.sysInfo.slice(0, 40) })],
      ['a long pass file', (r) => ({ ...r, pass: `${r.pass}00` })],
      ['a fee block cut short', (r) => ({ ...r, feeBlocks: r.feeBlocks.slice(0, 40) })],
      ['more fee blocks than EF02 names', (r) => ({ ...r, feeBlocks: r.feeBlocks + r.feeBlocks })],
      ['more than 22 fee blocks', (r) => ({ ...r, feeBlocks: r.feeBlocks.repeat(23) })],
      ['a province count over 22', (r) => ({ ...r, pass: `17${r.pass.slice(2)}` })],
      [
        'a path gantry the network does not know',
        (r) => ({ ...r, pass: r.pass.replace(/000001/g, 'ABCDEF') }),
      ],
      ['a battery byte over 100 %', (r) => ({ ...r, baseInfo: `65${r.baseInfo.slice(2)}` })],
      ['a radio state byte of 7', (r) => ({ ...r, baseInfo: `5007${r.baseInfo.slice(4)}` })],
    ];
    it.each(hostile)('refuses %s as a bad card (按坏卡处理)', async (_name, spoil) => {
      const before = (await h.station.services.exits.list({ limit: 500 })).length;
      const r = await collector('POST', '/exits', { laneId: TEST_WORLD.laneId, cpc: spoil(cpc()) });
      expect(r.statusCode, r.body).toBe(400);
      const body = r.json() as Json;
      expect(body.code).toBe('STN_ERR_EXIT_CPC_UNREADABLE');
      expect(body.message).toContain('按坏卡处理');
      expect(body.detail).toMatch(/^(MF|DF01)\/EF0\d @\d+: /);
      expect((await h.station.services.exits.list({ limit: 500 })).length).toBe(before);
    });
  });
}
