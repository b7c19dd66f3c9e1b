import { beijingCompact } from '@tollpad/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness, TEST_PASSWORD } from '../testing/harness';
import { OTHER_TERMINAL, otherCollector } from '../testing/other-collector';
import { collectorHandheld, plainVehicle } from '../testing/plain-vehicle';
import type { Json, SimHandheld } from '../testing/sim-handheld';
import { DIALECTS } from '../testing/test-db';
import { configureWorld } from '../testing/world';

/** A TAC nobody's card computed (TEST): what a colleague would make up to close someone else's debit. */
const MADE_UP_TAC = '0BADF00D';

for (const dialect of DIALECTS) {
  describe(`${dialect}: a transaction belongs to its terminal and shift`, () => {
    let h: Harness;
    let a: SimHandheld;
    let b: { token: string };
    let serial = 300;
    const vehicle = () => plainVehicle(h, serial++);
    const as = (token: string, method: 'GET' | 'POST', url: string, body?: unknown) =>
      h.call(method, url, { token, ...(body === undefined ? {} : { body }) });
    const refusal = (r: { statusCode: number; json(): { code: string } }) => [r.statusCode, r.json().code];
    const row = (id: string) =>
      h.station.services.db.db.selectFrom('exit_txns').selectAll().where('id', '=', id).executeTakeFirst();
    const recordCount = async () =>
      (await h.station.services.db.db.selectFrom('exit_records').select('trade_id').execute()).length;

    beforeAll(async () => {
      h = await startHarness(dialect);
      await configureWorld(h);
      a = collectorHandheld(h);
      b = await otherCollector(h);
    });
    afterAll(async () => h?.close());

    it("refuses B every step of A's transaction, and A's genuine commit still succeeds", async () => {
      const notYours = [403, 'STN_ERR_EXIT_NOT_YOURS'];
      const pre: (string | number)[][] = [];
      const r = await a.runExit(vehicle(), {
        commit: false,
        afterFee: async (priced) => {
          // A's transaction priced, before the debit: B tries every pre-debit step on it.
          const id = priced.id as string;
          const before = await row(id);
          const fee = (priced.fee as Json).fee as number;
          pre.push(refusal(await as(b.token, 'GET', `/exits/${id}`)));
          pre.push(refusal(await as(b.token, 'GET', `/exits/${id}/authorisation?waitMs=0`)));
          pre.push(
            refusal(
              await as(b.token, 'POST', `/exits/${id}/image`, {
                plate: '京B99999',
                plateColour: 0,
                photoSha256: a.photoSha,
              }),
            ),
          );
          pre.push(
            refusal(await as(b.token, 'POST', `/exits/${id}/fee`, { vehicleClass: 2, vehicleKind: 0 })),
          );
          pre.push(
            refusal(
              await as(b.token, 'POST', `/exits/${id}/debit-intent`, {
                cardId: priced.cardId,
                cardAtc: 0,
                amount: fee,
                psamTerminalNo: OTHER_TERMINAL.psam,
                terminalTransNo: '00000001',
                datetime: beijingCompact(h.clock.now),
              }),
            ),
          );
          pre.push(refusal(await as(b.token, 'POST', `/exits/${id}/cancel`, { reason: 'TEST 抢占' })));
          expect(await row(id)).toEqual(before);
        },
      });
      expect(pre).toEqual(Array.from({ length: 6 }, () => notYours));

      // A's debit is pending with the genuine proof on A's handheld. B closes it with a made-up TAC, or
      // voids it, through both commit and recovery, each with A's trade ID, PSAM and serial.
      const before = await row(r.txnId);
      const records = await recordCount();
      const forged = { ...r.commitBody, tac: MADE_UP_TAC };
      const atc = r.commitBody.cardTransNo;
      expect(refusal(await as(b.token, 'POST', `/exits/${r.txnId}/commit`, forged))).toEqual(notYours);
      expect(
        refusal(
          await as(b.token, 'POST', `/exits/${r.txnId}/recover`, { outcome: 'debited', commit: forged }),
        ),
      ).toEqual(notYours);
      expect(
        refusal(
          await as(b.token, 'POST', `/exits/${r.txnId}/recover`, { outcome: 'not-debited', cardAtc: atc }),
        ),
      ).toEqual(notYours);
      expect(await row(r.txnId)).toEqual(before);
      expect(await recordCount()).toBe(records);

      const genuine = await as(h.tokens.collector, 'POST', `/exits/${r.txnId}/commit`, r.commitBody);
      expect(genuine.statusCode).toBe(201);
      expect(genuine.json().record.tac).toBe(r.outcome.tac);
      // B still cannot read the record (nor replay the commit to obtain it); the monitor can.
      expect(refusal(await as(b.token, 'GET', `/records/${r.tradeId}`))).toEqual(notYours);
      expect(refusal(await as(b.token, 'POST', `/exits/${r.txnId}/commit`, r.commitBody))).toEqual(notYours);
      const seen = await as(h.tokens.monitor, 'GET', `/records/${r.tradeId}`);
      expect([seen.statusCode, seen.json().record.tac]).toEqual([200, r.outcome.tac]);
      expect((await as(h.tokens.collector, 'GET', `/records/${r.tradeId}`)).statusCode).toBe(200);
    });

    it('refuses a proof from another PSAM terminal or serial than the intent announced; the genuine one commits', async () => {
      const r = await a.runExit(vehicle(), { commit: false });
      const serial = Number.parseInt(r.commitBody.terminalTransNo, 16);
      const otherSerial = (serial + 1).toString(16).toUpperCase().padStart(8, '0');
      const mismatch = [409, 'STN_ERR_EXIT_PSAM_MISMATCH'];
      const before = await row(r.txnId);
      const commit = (body: unknown) => as(h.tokens.collector, 'POST', `/exits/${r.txnId}/commit`, body);
      const recover = (commitBody: unknown) =>
        as(h.tokens.collector, 'POST', `/exits/${r.txnId}/recover`, {
          outcome: 'debited',
          commit: commitBody,
        });
      expect(refusal(await commit({ ...r.commitBody, psamTerminalNo: OTHER_TERMINAL.psam }))).toEqual(
        mismatch,
      );
      expect(refusal(await commit({ ...r.commitBody, terminalTransNo: otherSerial }))).toEqual(mismatch);
      expect(refusal(await recover({ ...r.commitBody, psamTerminalNo: OTHER_TERMINAL.psam }))).toEqual(
        mismatch,
      );
      expect(refusal(await recover({ ...r.commitBody, terminalTransNo: otherSerial }))).toEqual(mismatch);
      expect(await row(r.txnId)).toEqual(before);
      const ok = await recover(r.commitBody);
      expect([ok.statusCode, ok.json().transaction.state, ok.json().record.tac]).toEqual([
        200,
        'committed',
        r.outcome.tac,
      ]);
    });

    it('refuses the same collector from another terminal, and after the shift is handed over', async () => {
      const r = await a.runExit(vehicle(), { commit: false });
      const elsewhere = await h.station.services.auth.login(
        'test-collector',
        TEST_PASSWORD,
        OTHER_TERMINAL.id,
      );
      expect(refusal(await as(elsewhere.token, 'GET', `/exits/${r.txnId}`))).toEqual([
        403,
        'STN_ERR_EXIT_NOT_YOURS',
      ]);
      expect(refusal(await as(elsewhere.token, 'POST', `/exits/${r.txnId}/commit`, r.commitBody))).toEqual([
        403,
        'STN_ERR_EXIT_NOT_YOURS',
      ]);
      // 交班 on A's handheld, then a new shift there: the old shift's pending debit is the monitor's to recover.
      const current = await as(h.tokens.collector, 'GET', '/shifts/current');
      await as(h.tokens.collector, 'POST', `/shifts/${current.json().id}/close`);
      expect((await as(h.tokens.collector, 'POST', '/shifts')).statusCode).toBe(201);
      expect(refusal(await as(h.tokens.collector, 'POST', `/exits/${r.txnId}/commit`, r.commitBody))).toEqual(
        [403, 'STN_ERR_EXIT_NOT_YOURS'],
      );
      const recovered = await as(h.tokens.monitor, 'POST', `/exits/${r.txnId}/recover`, {
        outcome: 'debited',
        commit: r.commitBody,
      });
      expect([recovered.statusCode, recovered.json().transaction.state]).toEqual([200, 'committed']);
    });
  });
}
