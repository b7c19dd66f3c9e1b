import { formatExitTradeId } from '@tollpad/domain';
import type { PollSchedule } from '@tollpad/payment';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paygatePort } from '../../ports/paygate-port';
import { PaymentsRepository } from '../../repositories/payments.repository';
import { startTestPaygate, type TestPaygate } from '../../testing/paygate';
import { DIALECTS } from '../../testing/test-db';
import { useTestDatabase } from '../../testing/use-test-database';
import { TEST_WORLD } from '../../testing/world';
import { PaymentWorker } from './payment-worker';

/** Short TEST polls so a password wait takes a second, not a minute (the order of the steps is the runner's). */
const FAST: PollSchedule = {
  firstDelaysMs: [300],
  thenEveryMs: 300,
  deadlineMs: 30_000,
  resolveQueries: 3,
  resolveEveryMs: 200,
};

for (const dialect of DIALECTS) {
  describe(`${dialect}: the payment outbox survives a restart mid-payment`, () => {
    const db = useTestDatabase(dialect);
    let pg: TestPaygate;
    let serial = 0;
    beforeAll(async () => {
      pg = await startTestPaygate();
    });
    afterAll(async () => {
      await pg?.close();
    });

    const worker = () =>
      new PaymentWorker({
        repo: new PaymentsRepository(db.opened.db),
        port: paygatePort(pg.port),
        now: () => new Date(),
        schedule: FAST,
        retryPendingMs: 200,
      });
    const openPayment = async (w: PaymentWorker, authCode: string) => {
      serial++;
      const txnId = `TEST-TXN-${dialect}-${serial}`;
      const tradeId = formatExitTradeId({ laneId: TEST_WORLD.laneId, batch: '2026120610', serial });
      const r = await w.open(
        { txnId, tradeId, laneHex: TEST_WORLD.laneHex, amountFen: 2300, subject: '高速通行费 TEST' },
        { mode: 'code', authCode },
        db.opened.db,
      );
      return { txnId, r };
    };
    const ordersOf = async (payId: string) => {
      const res = await pg.h.signed('GET', `/v1/orders?payId=${payId}`);
      return (res.json() as { orders: { state: string; amount: number }[] }).orders;
    };
    const settle = async (w: PaymentWorker, txnId: string) => {
      let s = await w.status(txnId);
      for (let i = 0; i < 100 && s && !s.final; i++) s = await w.wait(txnId, s.version, 2000);
      return s;
    };

    it('the row is written before the first request, and a restart resumes every attempt not final', async () => {
      const a = worker();
      const code = pg.code();
      await pg.fault({ kind: 'password', authCode: code, polls: 4, outcome: 'paid' });
      const { txnId, r } = await openPayment(a, code);
      // Persisted before anything was sent: the platform has no order yet.
      expect((await a.status(txnId))?.phase).toBe('intent');
      expect(await ordersOf(r.intent.payId)).toEqual([]);
      a.launch(r.outTradeNo);
      let s = await a.status(txnId);
      while (s && s.phase !== 'user-paying') s = await a.wait(txnId, s.version, 2000);
      expect(s?.message).toBe('请顾客在手机上输入支付密码');
      await a.close(); // the station stops while the payer is still typing

      const b = worker();
      expect(await b.start()).toBeGreaterThanOrEqual(1);
      const done = await settle(b, txnId);
      expect(done).toMatchObject({ phase: 'succeeded', final: true, amount: 2300, channel: 'WECHAT' });
      const orders = await ordersOf(r.intent.payId);
      expect(orders.map((o) => o.state)).toEqual(['SUCCESS']);
      await b.close();
    });

    it('stopped while the pay request was out (captured, answer never read): the restart queries, one capture', async () => {
      const a = worker();
      const code = pg.code();
      await pg.fault({ kind: 'delay', authCode: code, delayMs: 800 });
      const { txnId, r } = await openPayment(a, code);
      a.launch(r.outTradeNo);
      let s = await a.status(txnId);
      while (s && s.phase !== 'submitted') s = await a.wait(txnId, s.version, 2000);
      await a.close(); // the answer arrives after the station stopped: nothing is written

      const rows = await new PaymentsRepository(db.opened.db).ofTxn(txnId);
      expect(rows.map((x) => x.phase)).toEqual(['submitted']);
      const b = worker();
      await b.start();
      expect(await settle(b, txnId)).toMatchObject({ phase: 'succeeded' });
      const orders = await ordersOf(r.intent.payId);
      expect(orders.map((o) => o.state)).toEqual(['SUCCESS']);
      await b.close();
    });

    it('an answer lost after capture is queried, never paid again', async () => {
      const w = worker();
      const code = pg.code();
      await pg.fault({ kind: 'lost-after-capture', authCode: code, times: 1 });
      const { txnId, r } = await openPayment(w, code);
      w.launch(r.outTradeNo);
      expect(await settle(w, txnId)).toMatchObject({ phase: 'succeeded' });
      const orders = await ordersOf(r.intent.payId);
      expect(orders).toHaveLength(1);
      await w.close();
    });
  });
}
