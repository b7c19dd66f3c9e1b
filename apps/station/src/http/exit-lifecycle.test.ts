import { beijingCompact } from '@tollpad/domain';
import type { Commit } from '@tollpad/station-api';
import { lookupMinFee } from '@tollpad/tariff';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../testing/harness';
import { collectorHandheld, testVehicle } from '../testing/plain-vehicle';
import {
  ApiError,
  commitBodyOf,
  type Json,
  type SimHandheld,
  type VehicleSpec,
} from '../testing/sim-handheld';
import { queuedUploads, storedRecords } from '../testing/stored-rows';
import { DIALECTS } from '../testing/test-db';
import { configureWorld, TEST_WORLD, testReference } from '../testing/world';

const minFee = (cls: number) => {
  const r = lookupMinFee(
    testReference().tariff.tables,
    TEST_WORLD.entryStationHex,
    TEST_WORLD.stationId,
    cls,
  );
  if (!r.ok || !r.value.reachable) throw new Error('TEST tariff: no min fee');
  return r.value;
};

/** A well-formed commit no card produced, for refusals that come before its proof is checked. TEST data. */
function madeUpCommit(tradeSerial: string): Commit {
  return {
    tradeId: `${TEST_WORLD.laneId}${tradeSerial}`,
    tac: '00000000',
    psamTerminalNo: TEST_WORLD.psam,
    terminalTransNo: '00000001',
    cardTransNo: 1,
    preBalance: 10,
    postBalance: 10,
    algorithm: 1,
  };
}

for (const dialect of DIALECTS) {
  describe(`${dialect}: the exit transaction through the HTTP API`, () => {
    let h: Harness;
    let hh: SimHandheld;
    let shiftId: string;
    let serial = 100;
    const vehicle = (over: Partial<VehicleSpec> = {}): VehicleSpec => testVehicle(h, serial++, over);

    beforeAll(async () => {
      h = await startHarness(dialect);
      ({ shiftId } = await configureWorld(h));
      hh = collectorHandheld(h);
    });
    afterAll(async () => h?.close());

    it('runs 【读卡】→【提交图片数据】→【算费】→ debit → 【提交数据】 with a real simulated purchase', async () => {
      const m = minFee(1);
      const r = await hh.runExit(vehicle({ obuDiscountTotal: m.fee95, balance: 50_000 }));
      expect(r.fee).toBe(m.fee95);
      expect(r.outcome.balanceAfter).toBe(50_000 - m.fee95);
      expect(r.record).toMatchObject({
        id: r.tradeId,
        exitFeeType: 1,
        fee: m.fee95,
        transFee: m.fee95,
        preBalance: 50_000,
        postBalance: 50_000 - m.fee95,
        tac: r.outcome.tac,
        terminalNo: TEST_WORLD.psam,
        exTollLaneId: TEST_WORLD.laneId,
        vehicleId: '京A12345_0',
        laneType: 5,
        operationMedia: 2,
      });
      expect(r.tradeId.startsWith(TEST_WORLD.laneId)).toBe(true);
      expect(r.record.passId as string).toMatch(/^019901\d{16}\d{14}$/);
      expect((r.record.listVersions as Json).card).toBe('TEST-CARD-202611230800');
      // Exactly one record and one outbox row, and the transaction is committed.
      const got = await h.call('GET', `/records/${r.tradeId}`, { token: h.tokens.monitor });
      expect(got.json().record.tac).toBe(r.outcome.tac);
      const outbox = await h.station.services.db.db
        .selectFrom('outbox')
        .selectAll()
        .where('idempotency_key', '=', r.tradeId)
        .execute();
      expect(outbox).toHaveLength(1);
      const txn = await h.call('GET', `/exits/${r.txnId}`, { token: h.tokens.collector });
      expect(txn.json().state).toBe('committed');
    });

    it('answers a replayed commit with the same record, and a different proof with a conflict', async () => {
      const r = await hh.runExit(vehicle({ obuDiscountTotal: minFee(1).fee95 }));
      const body = commitBodyOf(r.tradeId, r.outcome);
      const again = await h.call('POST', `/exits/${r.txnId}/commit`, { token: h.tokens.collector, body });
      expect(again.statusCode).toBe(200);
      expect(again.json()).toMatchObject({ replayed: true, tradeId: r.tradeId });
      expect(again.json().record).toEqual(r.record);
      const forged = await h.call('POST', `/exits/${r.txnId}/commit`, {
        token: h.tokens.collector,
        body: { ...body, tac: 'DEADBEEF' },
      });
      expect(forged.statusCode).toBe(409);
      expect(forged.json().code).toBe('STN_ERR_EXIT_COMMIT_CONFLICT');
      expect(await storedRecords(h, { tradeId: r.tradeId })).toHaveLength(1);
    });

    it('refuses a proof whose card ATC is not the announced one (the TAC does not cover it); the genuine proof then commits', async () => {
      const r = await hh.runExit(vehicle({ obuDiscountTotal: minFee(1).fee95 }), { commit: false });
      const off = await h.call('POST', `/exits/${r.txnId}/commit`, {
        token: h.tokens.collector,
        body: { ...r.commitBody, cardTransNo: r.commitBody.cardTransNo + 1 },
      });
      expect(off.json().code, off.body).toBe('STN_ERR_EXIT_PROOF_MISMATCH');
      expect(await storedRecords(h, { txnId: r.txnId })).toHaveLength(0);
      const ok = await h.call('POST', `/exits/${r.txnId}/commit`, {
        token: h.tokens.collector,
        body: r.commitBody,
      });
      expect(ok.statusCode, ok.body).toBe(201);
      expect(ok.json().record.cardTransNo).toBe(r.outcome.atcBefore);
    });

    it('one card trade makes one record: another exit of the same card read, announced and committed with a committed exit’s purchase, is refused', async () => {
      const v = vehicle({ obuDiscountTotal: minFee(1).fee95 });
      const first = await hh.runExit(v);
      // The same card's earlier read sent again (an ETC exit has no repeat-exit window): a second exit.
      const raw = await readRaw(hh, v);
      const created = await hh.call('POST', '/exits', {
        laneId: TEST_WORLD.laneId,
        card: { ...raw, obu: raw.obu },
      });
      const id = created.id as string;
      await hh.call('POST', `/exits/${id}/image`, {
        plate: v.plate,
        plateColour: 0,
        photoSha256: hh.photoSha,
      });
      await hh.call('POST', `/exits/${id}/fee`, { vehicleClass: 1, vehicleKind: 0 });
      const o = first.outcome;
      const intent = await hh.call('POST', `/exits/${id}/debit-intent`, {
        cardId: o.cardNumber,
        cardAtc: o.atcBefore,
        amount: o.amount,
        psamTerminalNo: o.terminalId,
        terminalTransNo: first.commitBody.terminalTransNo,
        datetime: o.datetime,
      });
      const again = await h.call('POST', `/exits/${id}/commit`, {
        token: h.tokens.collector,
        body: { ...first.commitBody, tradeId: intent.tradeId },
      });
      expect(again.json().code, again.body).toBe('STN_ERR_EXIT_PROOF_MISMATCH');
      expect(await storedRecords(h, { txnId: id })).toHaveLength(0);
      expect(await storedRecords(h, { txnId: first.txnId })).toHaveLength(1);
      // The first exit's own replay still answers with its record.
      const replay = await h.call('POST', `/exits/${first.txnId}/commit`, {
        token: h.tokens.collector,
        body: first.commitBody,
      });
      expect(replay.json()).toMatchObject({ replayed: true, tradeId: first.tradeId });
    });

    it('needs a monitor for the minimum fee; the collector long-poll learns the decision', async () => {
      let waited: Json | undefined;
      const r = await hh.runExit(vehicle({ cumulativeAmount: 0 }), {
        afterFee: async (priced) => {
          expect((priced.authorisation as Json).status).toBe('required');
          const id = priced.id as string;
          // The collector cannot debit yet.
          const early = await h.call('POST', `/exits/${id}/debit-intent`, {
            token: h.tokens.collector,
            body: {
              cardId: priced.cardId,
              cardAtc: 0,
              amount: (priced.fee as Json).fee,
              psamTerminalNo: TEST_WORLD.psam,
              terminalTransNo: '00000001',
              datetime: beijingCompact(h.clock.now),
            },
          });
          expect(early.json().code).toBe('STN_ERR_EXIT_AUTH_PENDING');
          const poll = h.call('GET', `/exits/${id}/authorisation?waitMs=10000`, {
            token: h.tokens.collector,
          });
          const approve = await h.call('POST', `/exits/${id}/authorisation`, {
            token: h.tokens.monitor,
            body: { approve: true, reason: '核实无误，按最小费额收费' },
          });
          expect(approve.statusCode).toBe(200);
          waited = (await poll).json();
          // The monitor's request retried after a lost answer: the same decision, not an error; a
          // contrary one is refused.
          const again = await h.call('POST', `/exits/${id}/authorisation`, {
            token: h.tokens.monitor,
            body: { approve: true, reason: '核实无误，按最小费额收费' },
          });
          expect([again.statusCode, again.json().authorisation]).toEqual([200, approve.json().authorisation]);
          const contrary = await h.call('POST', `/exits/${id}/authorisation`, {
            token: h.tokens.monitor,
            body: { approve: false, reason: '改为拒绝' },
          });
          expect([contrary.statusCode, contrary.json().code]).toEqual([409, 'STN_ERR_EXIT_BAD_STATE']);
        },
      });
      const decided = waited as Json;
      expect((decided.authorisation as Json).status).toBe('approved');
      expect(r.record.exitFeeType).toBe(6);
      expect(r.fee).toBe(minFee(1).fee);
    });

    it('stops a card on the status list, records the list version, and cancels before debit', async () => {
      const issued = hh.issue(vehicle({ serial: 666 }));
      expect(issued.cardNumber).toBe(TEST_WORLD.listedCardId);
      let txnId = '';
      await expect(
        hh.runExit(vehicle({ serial: 666, obuDiscountTotal: minFee(1).fee95 }), {
          afterFee: async (priced) => {
            txnId = priced.id as string;
            const checks = priced.checks as Json;
            expect((checks.specials as Json[]).map((s) => s.code)).toContain(24);
            expect(checks.listHits).toEqual([
              expect.objectContaining({ type: 1, version: 'TEST-CARD-202611230800' }),
            ]);
            const refused = await h.call('POST', `/exits/${txnId}/authorisation`, {
              token: h.tokens.monitor,
              body: { approve: false, reason: '挂失卡，不予放行' },
            });
            expect(refused.json().authorisation.status).toBe('refused');
          },
        }),
      ).rejects.toSatisfy(
        (e) => e instanceof ApiError && (e.body as Json).code === 'STN_ERR_EXIT_AUTH_REFUSED',
      );
      const cancel = await h.call('POST', `/exits/${txnId}/cancel`, {
        token: h.tokens.collector,
        body: { reason: '挂失卡，改其他方式缴费' },
      });
      expect(cancel.json().state).toBe('cancelled');
      const commit = await h.call('POST', `/exits/${txnId}/commit`, {
        token: h.tokens.collector,
        body: madeUpCommit('2026112316999999'),
      });
      expect(commit.statusCode).toBe(409);
      expect(commit.json().code).toBe('STN_ERR_EXIT_CANCELLED');
    });

    it('refuses a lane that is not enabled for handheld linkage, and unknown transactions', async () => {
      const issued = hh.issue(vehicle());
      void issued;
      const r = await h.call('POST', '/exits', {
        token: h.tokens.collector,
        body: {
          laneId: TEST_WORLD.disabledLaneId,
          card: { ef0015: '00'.repeat(50), ef0019: '00'.repeat(43), balance: 0 },
        },
      });
      expect(r.statusCode).toBe(409);
      expect(r.json().code).toBe('STN_ERR_CONFIG_LANE_DISABLED');
      const unknown = await h.call('POST', '/exits/nope/commit', {
        token: h.tokens.collector,
        body: madeUpCommit('2026112316000009'),
      });
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json().code).toBe('STN_ERR_EXIT_NOT_FOUND');
    });

    it('flags a plate mismatch (52) and refuses a plate that fails its colour pattern', async () => {
      const r = await hh.runExit(vehicle({ obuDiscountTotal: minFee(1).fee95, actualPlate: '京B54321' }));
      expect(r.record.specialType as string).toMatch(/(^|\|)52(\||$)/);
      const t = await hh.call('GET', `/exits/${r.txnId}`);
      expect(((t.checks as Json).imageSpecials as Json[]).map((s) => s.code)).toContain(52);
      // A 7-character plate cannot be 渐变绿 (new-energy plates have 8 characters).
      const created = await h.call('POST', '/exits', {
        token: h.tokens.collector,
        body: {
          laneId: TEST_WORLD.laneId,
          card: {
            ef0015: r.outcome ? (await readRaw(hh, vehicle())).ef0015 : '',
            ef0019: (await readRaw(hh, vehicle())).ef0019,
            balance: 1000,
          },
        },
      });
      expect(created.statusCode).toBe(201);
      const bad = await h.call('POST', `/exits/${created.json().id}/image`, {
        token: h.tokens.collector,
        body: { plate: '京A12345', plateColour: 4, photoSha256: hh.photoSha },
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().code).toBe('STN_ERR_EXIT_PLATE_INVALID');
      const row = await h.station.services.exits.get(created.json().id);
      expect(row.plate).toBeNull();
    });

    it('recovers a pending debit: not debited → back to 【算费】; debited → the record', async () => {
      const v = vehicle({ obuDiscountTotal: minFee(1).fee95 });
      const raw = await readRaw(hh, v);
      const created = await hh.call('POST', '/exits', {
        laneId: TEST_WORLD.laneId,
        card: { ...raw, obu: raw.obu },
      });
      const id = created.id as string;
      await hh.call('POST', `/exits/${id}/image`, {
        plate: v.plate,
        plateColour: 0,
        photoSha256: hh.photoSha,
      });
      const priced = await hh.call('POST', `/exits/${id}/fee`, { vehicleClass: 1, vehicleKind: 0 });
      const amount = (priced.fee as Json).fee as number;
      const at = (msAgo: number) => beijingCompact(new Date(h.clock.now.getTime() - msAgo));
      const intent = {
        cardId: priced.cardId,
        cardAtc: 0,
        amount,
        psamTerminalNo: TEST_WORLD.psam,
        terminalTransNo: '00000042',
        datetime: at(9_000),
      };
      // The purchase datetime is checked: malformed → 400, far from the station clock → refused before DEBIT.
      const bad = await h.call('POST', `/exits/${id}/debit-intent`, {
        token: h.tokens.collector,
        body: { ...intent, datetime: '20261399250000' },
      });
      expect([bad.statusCode, bad.json().code]).toEqual([400, 'STN_ERR_REQ_INVALID']);
      const skewed = await h.call('POST', `/exits/${id}/debit-intent`, {
        token: h.tokens.collector,
        body: { ...intent, datetime: at(3_600_000) },
      });
      expect([skewed.statusCode, skewed.json().code]).toEqual([422, 'STN_ERR_EXIT_CLOCK_SKEW']);
      expect((await h.station.services.exits.get(id)).state).toBe('priced');
      const i1 = await hh.call('POST', `/exits/${id}/debit-intent`, intent);
      expect(i1.exTime).toBe(parseCompact(intent.datetime));
      // The same ATC announced again with a new datetime (a retry from INITIALIZE after a 9406 proof): the
      // new datetime is the one the TAC will cover.
      const retried = await hh.call('POST', `/exits/${id}/debit-intent`, { ...intent, datetime: at(5_000) });
      expect([retried.tradeId, retried.exTime]).toEqual([i1.tradeId, parseCompact(at(5_000))]);
      // Cancel is refused once a debit may have happened.
      const cancel = await h.call('POST', `/exits/${id}/cancel`, {
        token: h.tokens.collector,
        body: { reason: 'x' },
      });
      expect(cancel.json().code).toBe('STN_ERR_EXIT_BAD_STATE');
      const back = await hh.call('POST', `/exits/${id}/recover`, { outcome: 'not-debited', cardAtc: 0 });
      expect((back.transaction as Json).state).toBe('priced');
      const i2 = await hh.call('POST', `/exits/${id}/debit-intent`, { ...intent, datetime: at(2_000) });
      expect(i2.tradeId).not.toBe(i1.tradeId);
      const proof = {
        tradeId: i2.tradeId,
        tac: '1A2B3C4D',
        psamTerminalNo: TEST_WORLD.psam,
        terminalTransNo: '00000042',
        cardTransNo: 0,
        preBalance: v.balance,
        postBalance: v.balance - amount,
        algorithm: 1,
      };
      const rec = await hh.call('POST', `/exits/${id}/recover`, { outcome: 'debited', commit: proof });
      expect((rec.transaction as Json).state).toBe('committed');
      expect((rec.record as Json).tac).toBe('1A2B3C4D');
      // The record's exit time is the datetime the card was debited with, not the station's clock.
      expect(Date.parse((rec.record as Json).exTime as string)).toBe(Date.parse(i2.exTime as string));
    });

    it('lists and searches records, and reports the shift as JSON and printable HTML', async () => {
      const bySpecial = await h.call('GET', '/records?special=52', { token: h.tokens.monitor });
      expect(bySpecial.json().length).toBeGreaterThanOrEqual(1);
      for (const r of bySpecial.json()) expect(r.specialTypes).toContain(52);
      const byLane = await h.call('GET', `/records?laneId=${TEST_WORLD.laneId}`, { token: h.tokens.monitor });
      const all = byLane.json() as Json[];
      expect(all.length).toBeGreaterThanOrEqual(5);
      const one = all[0]!;
      const byCard = await h.call('GET', `/records?cardId=${one.cardId}`, { token: h.tokens.monitor });
      expect(byCard.json().map((r: Json) => r.tradeId)).toEqual([one.tradeId]);
      const exTime = Date.parse(one.exTime as string);
      const window = `from=${new Date(exTime - 1000).toISOString()}&to=${new Date(exTime + 1000).toISOString()}`;
      const byTime = await h.call('GET', `/records?${window}`, { token: h.tokens.monitor });
      expect(byTime.json().map((r: Json) => r.tradeId)).toContain(one.tradeId);
      const before = await h.call('GET', `/records?to=${new Date(exTime - 3600_000).toISOString()}`, {
        token: h.tokens.monitor,
      });
      expect(before.json()).toEqual([]);
      const byPlate = await h.call('GET', `/records?vehicleId=${encodeURIComponent('京B54321_0')}`, {
        token: h.tokens.monitor,
      });
      expect(byPlate.json().length).toBe(1);
      const report = await h.call('GET', `/shifts/${shiftId}/report`, { token: h.tokens.collector });
      expect(report.statusCode).toBe(200);
      const rep = report.json();
      expect(rep.totals.vehicles).toBe(all.length);
      expect(rep.totals.cancelled).toBe(1);
      expect(rep.totals.authorised).toBeGreaterThanOrEqual(1);
      expect(rep.byExitFeeType.map((g: Json) => g.code).sort()).toEqual([1, 6]);
      expect(rep.authorisations.map((a: Json) => a.status).sort()).toEqual(['approved', 'refused']);
      const html = await h.call('GET', `/shifts/${shiftId}/report.html`, { token: h.tokens.monitor });
      expect(html.headers['content-type']).toMatch(/text\/html/);
      expect(html.body).toContain('班次报表');
    });

    it('corrects a record with a new linked record and leaves the original untouched', async () => {
      const list = (
        await h.call('GET', `/records?vehicleId=${encodeURIComponent('京B54321_0')}`, {
          token: h.tokens.monitor,
        })
      ).json();
      const orig = list[0] as Json;
      const r = await h.call('POST', `/records/${orig.tradeId}/corrections`, {
        token: h.tokens.monitor,
        body: { plate: '京A12345', plateColour: 0, reason: '车牌录入错误' },
      });
      expect(r.statusCode).toBe(201);
      const c = r.json();
      expect(c).toMatchObject({ kind: 'correction', supersedes: orig.tradeId, vehicleId: '京A12345_0' });
      expect(c.record.correctsId).toBe(orig.tradeId);
      expect(c.record.fee).toBe((orig.record as Json).fee);
      const again = (await h.call('GET', `/records/${orig.tradeId}`, { token: h.tokens.monitor })).json();
      expect(again.record).toEqual(orig.record);
      expect(await queuedUploads(h, c.tradeId)).toHaveLength(1);
      const collector = await h.call('POST', `/records/${orig.tradeId}/corrections`, {
        token: h.tokens.collector,
        body: { reason: 'x' },
      });
      expect(collector.statusCode).toBe(403);
    });
  });
}

/** Reads a fresh TEST card the way 【读卡】 does, without running the purchase. */
async function readRaw(hh: SimHandheld, v: VehicleSpec) {
  const { encodeBalance, ExitPurchase, MemoryJournal, pollingWaiter, PsamDriver, hexToBytes } = await import(
    '@tollpad/card'
  );
  const { VirtualReader, VirtualPsam } = await import('@tollpad/card/sim');
  const issued = hh.issue(v);
  const reader = new VirtualReader('card');
  reader.insert(issued.card);
  const psamReader = new VirtualReader('psam');
  psamReader.insert(new VirtualPsam({ terminalId: hexToBytes(TEST_WORLD.psam) }));
  const purchase = new ExitPurchase({
    card: reader,
    psam: new PsamDriver(psamReader),
    journal: new MemoryJournal(),
    waiter: pollingWaiter({ attempts: 1 }),
    config: { readAccountBalance: true },
  });
  const snap = await purchase.readCard();
  return {
    ef0015: snap.raw0015,
    ef0019: snap.raw0019,
    balance: encodeBalance(snap.balance ?? 0),
    obu: v.obuDiscountTotal
      ? {
          obuId: `0000${String(v.serial).padStart(12, '0')}`,
          removed: false,
          ef04: {
            status: 'ok',
            totalAmount: v.obuDiscountTotal,
            totalDiscountAmount: v.obuDiscountTotal,
            provinceCount: 1,
          },
        }
      : undefined,
  };
}

/** 'YYYYMMDDhhmmss' Beijing → the ISO form the station answers with. */
function parseCompact(compact: string): string {
  const [y, mo, d, hh, mi, ss] = [0, 4, 6, 8, 10, 12].map((i, k) => compact.slice(i, k === 0 ? 4 : i + 2));
  return new Date(`${y}-${mo}-${d}T${hh}:${mi}:${ss}+08:00`).toISOString();
}
