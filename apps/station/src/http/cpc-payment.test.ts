import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpcExitSteps, startPaygateWorld } from '../testing/cpc-payment-rig';
import type { Harness } from '../testing/harness';
import type { TestPaygate } from '../testing/paygate';
import { DIALECTS } from '../testing/test-db';

type Json = Record<string, unknown>;

/** Paying a CPC exit by QR and by cash through the station's HTTP API, against the reference platform. */
for (const dialect of DIALECTS) {
  describe(`${dialect}: paying a CPC exit (QR against the paygate, cash with change)`, () => {
    let h: Harness;
    let pg: TestPaygate;
    let photo: string;

    const { collector, priced, settled } = cpcExitSteps({
      h: () => h,
      cpcId: (serial) => `3700EEEE${String(serial).padStart(8, '0')}`,
      photo: () => photo,
      code: () => pg.code(),
    });

    const ordersOf = async (payId: string) => {
      const res = await pg.h.signed('GET', `/v1/orders?payId=${payId}`);
      return (res.json() as { orders: { state: string; amount: number }[] }).orders;
    };
    const recordsOf = async (txnId: string) =>
      h.station.services.db.db
        .selectFrom('exit_records')
        .select('trade_id')
        .where('txn_id', '=', txnId)
        .execute();

    beforeAll(async () => {
      ({ pg, h, photo } = await startPaygateWorld(dialect));
    });
    afterAll(async () => {
      await h?.close();
      await pg?.close();
    });

    it('被扫: the driver’s WeChat code pays; one record with payType 7, the platform holds one capture', async () => {
      const { id, amount } = await priced();
      const intent = await collector('POST', `/exits/${id}/debit-intent`, {
        payment: 'qr',
        amount,
        mode: 'code',
        authCode: pg.code(),
      });
      expect(intent.statusCode, intent.body).toBe(200);
      const { tradeId, payment } = intent.json() as { tradeId: string; payment: Json };
      expect(payment).toMatchObject({ method: 'qr', mode: 'code', channel: 'WECHAT', amount });
      const s = await settled(id);
      expect(s).toMatchObject({ phase: 'succeeded', final: true, message: '支付成功' });
      const commit = await collector('POST', `/exits/${id}/commit`, { tradeId, cardWrite: 'written' });
      expect(commit.statusCode, commit.body).toBe(201);
      expect(commit.json().record).toMatchObject({ id: tradeId, payType: 7, fee: amount });
      expect((await ordersOf(s.payId as string)).map((o) => o.state)).toEqual(['SUCCESS']);
    });

    it('an answer lost after capture: queried, one payment, one record (a replayed commit adds none)', async () => {
      const { id, amount } = await priced();
      const code = pg.code();
      await pg.fault({ kind: 'lost-after-capture', authCode: code, times: 1 });
      const intent = await collector('POST', `/exits/${id}/debit-intent`, {
        payment: 'qr',
        amount,
        mode: 'code',
        authCode: code,
      });
      expect(intent.statusCode, intent.body).toBe(200);
      const tradeId = intent.json().tradeId as string;
      const s = await settled(id);
      expect(s.phase).toBe('succeeded');
      for (const expected of [201, 200]) {
        const commit = await collector('POST', `/exits/${id}/commit`, { tradeId, cardWrite: 'written' });
        expect(commit.statusCode, commit.body).toBe(expected);
      }
      expect(await ordersOf(s.payId as string)).toHaveLength(1);
      expect(await recordsOf(id)).toHaveLength(1);
    });

    it('a 500 after capture, the collector stopping at once: the outcome is queried before any cancel (paid, not reversed)', async () => {
      const { id, amount } = await priced();
      const code = pg.code();
      await pg.fault({ kind: 'system-error-after-capture', authCode: code, times: 1 });
      const intent = await collector('POST', `/exits/${id}/debit-intent`, {
        payment: 'qr',
        amount,
        mode: 'code',
        authCode: code,
      });
      expect(intent.statusCode, intent.body).toBe(200);
      expect((await collector('POST', `/exits/${id}/payment/stop`)).statusCode).toBe(200);
      const s = await settled(id);
      expect(s.phase).toBe('succeeded');
      expect((await ordersOf(s.payId as string)).map((o) => o.state)).toEqual(['SUCCESS']);
    });

    it('a password wait: the collector reads why, the commit is refused until the payment succeeded', async () => {
      const { id, amount } = await priced();
      const code = pg.code();
      await pg.fault({ kind: 'password', authCode: code, polls: 3, outcome: 'paid' });
      const intent = await collector('POST', `/exits/${id}/debit-intent`, {
        payment: 'qr',
        amount,
        mode: 'code',
        authCode: code,
      });
      const tradeId = intent.json().tradeId as string;
      let s = (await collector('GET', `/exits/${id}/payment?waitMs=0`)).json() as Json;
      while (s.phase !== 'user-paying' && !s.final)
        s = (await collector('GET', `/exits/${id}/payment?waitMs=2000&since=${s.version as number}`)).json();
      expect(s.message).toBe('请顾客在手机上输入支付密码');
      const early = await collector('POST', `/exits/${id}/commit`, { tradeId, cardWrite: 'written' });
      expect(early.statusCode, early.body).toBe(409);
      expect(early.json().code).toBe('STN_ERR_PAY_NOT_SUCCEEDED');
      expect(await recordsOf(id)).toHaveLength(0);
      expect((await settled(id)).phase).toBe('succeeded');
      const commit = await collector('POST', `/exits/${id}/commit`, { tradeId, cardWrite: 'written' });
      expect(commit.statusCode, commit.body).toBe(201);
    });

    it('declined (insufficient funds): another code under the same pay ID pays; one capture, one record', async () => {
      const { id, amount } = await priced();
      const intent = await collector('POST', `/exits/${id}/debit-intent`, {
        payment: 'qr',
        amount,
        mode: 'code',
        authCode: pg.code('0004'),
      });
      const tradeId = intent.json().tradeId as string;
      const failed = await settled(id);
      expect(failed).toMatchObject({ phase: 'failed', reason: 'insufficient', attempt: 1 });
      const next = await collector('POST', `/exits/${id}/payment/attempts`, {
        mode: 'code',
        authCode: pg.code(),
      });
      expect(next.statusCode, next.body).toBe(200);
      const s = await settled(id);
      expect(s).toMatchObject({ phase: 'succeeded', attempt: 2, payId: failed.payId });
      const again = await collector('POST', `/exits/${id}/payment/attempts`, {
        mode: 'code',
        authCode: pg.code(),
      });
      expect(again.json().code).toBe('STN_ERR_PAY_ALREADY_PAID');
      expect(
        (await collector('POST', `/exits/${id}/commit`, { tradeId, cardWrite: 'written' })).statusCode,
      ).toBe(201);
      const states = (await ordersOf(s.payId as string)).map((o) => o.state).sort();
      expect(states).toEqual(['PAYERROR', 'SUCCESS']);
    });

    it('declined, then the driver pays cash: the QR intent is undone (only once nothing can be taken), cash shows', async () => {
      const { id, amount } = await priced();
      await collector('POST', `/exits/${id}/debit-intent`, {
        payment: 'qr',
        amount,
        mode: 'code',
        authCode: pg.code('0004'),
      });
      expect((await settled(id)).phase).toBe('failed');
      const undone = await collector('POST', `/exits/${id}/recover`, { outcome: 'not-debited' });
      expect(undone.statusCode, undone.body).toBe(200);
      // The same undo again (its answer lost on the way): told the state, nothing changes.
      const again = await collector('POST', `/exits/${id}/recover`, { outcome: 'not-debited' });
      expect(again.statusCode, again.body).toBe(200);
      expect(again.json().transaction.state).toBe('priced');
      const cash = await collector('POST', `/exits/${id}/debit-intent`, {
        payment: 'cash',
        amount,
        tendered: amount,
      });
      expect(cash.statusCode, cash.body).toBe(200);
      expect(cash.json().payment).toMatchObject({ method: 'cash', cash: { change: 0 } });
      expect((await collector('GET', `/exits/${id}/payment?waitMs=0`)).json().method).toBe('cash');
    });

    it('cash after an undone QR intent: another code is refused (no QR capture beside the cash, none without a record)', async () => {
      const { id, amount } = await priced();
      const qr = await collector('POST', `/exits/${id}/debit-intent`, {
        payment: 'qr',
        amount,
        mode: 'code',
        authCode: pg.code('0004'),
      });
      const failed = await settled(id);
      expect(failed.phase).toBe('failed');
      expect((await collector('POST', `/exits/${id}/recover`, { outcome: 'not-debited' })).statusCode).toBe(
        200,
      );
      const cash = await collector('POST', `/exits/${id}/debit-intent`, {
        payment: 'cash',
        amount,
        tendered: amount,
      });
      expect(cash.statusCode, cash.body).toBe(200);
      const stray = await collector('POST', `/exits/${id}/payment/attempts`, {
        mode: 'code',
        authCode: pg.code(),
      });
      expect(stray.json().code, stray.body).toBe('STN_ERR_EXIT_BAD_STATE');
      await new Promise((r) => setTimeout(r, 1000));
      expect((await ordersOf(failed.payId as string)).map((o) => o.state)).toEqual(['PAYERROR']);
      expect(qr.json().tradeId).not.toBe(cash.json().tradeId);
    });

    it('another code racing the undo of the QR intent: never a capture without a record, never an attempt on a voided exit', async () => {
      for (let round = 0; round < 12; round++) {
        const { id, amount } = await priced();
        const qr = await collector('POST', `/exits/${id}/debit-intent`, {
          payment: 'qr',
          amount,
          mode: 'code',
          authCode: pg.code('0004'),
        });
        const tradeId = qr.json().tradeId as string;
        const failed = await settled(id);
        expect(failed.phase).toBe('failed');
        // Both checks pass on the row as read; only one may win the row's lock with state debit_pending.
        const [next, undone] = await Promise.all([
          collector('POST', `/exits/${id}/payment/attempts`, { mode: 'code', authCode: pg.code() }),
          collector('POST', `/exits/${id}/recover`, { outcome: 'not-debited' }),
        ]);
        expect([next.statusCode, undone.statusCode], `${next.body} ${undone.body}`).not.toEqual([200, 200]);
        const attempts = await h.station.services.db.db
          .selectFrom('payments')
          .select('attempt')
          .where('txn_id', '=', id)
          .execute();
        const row = (await collector('GET', `/exits/${id}`)).json() as Json;
        if (undone.statusCode === 200) {
          // The exit was voided: no attempt beside the failed one, nothing captured on the platform.
          expect(attempts).toHaveLength(1);
          expect(row.state).not.toBe('debit_pending');
          await new Promise((r) => setTimeout(r, 300));
          expect((await ordersOf(failed.payId as string)).map((o) => o.state)).toEqual(['PAYERROR']);
        } else {
          expect(next.statusCode, next.body).toBe(200);
          expect(undone.json().code, undone.body).toMatch(/STN_ERR_PAY_IN_FLIGHT|STN_ERR_PAY_ALREADY_PAID/);
          expect((await settled(id)).phase).toBe('succeeded');
          const commit = await collector('POST', `/exits/${id}/commit`, { tradeId, cardWrite: 'written' });
          expect(commit.statusCode, commit.body).toBe(201);
          expect(await recordsOf(id)).toHaveLength(1);
        }
      }
    });

    it('an amount that changed between fee and payment is refused before anything is sent', async () => {
      const { id, amount } = await priced();
      const res = await collector('POST', `/exits/${id}/debit-intent`, {
        payment: 'qr',
        amount: amount + 100,
        mode: 'code',
        authCode: pg.code(),
      });
      expect(res.statusCode, res.body).toBe(422);
      expect(res.json().code).toBe('STN_ERR_EXIT_AMOUNT_MISMATCH');
      const rows = await h.station.services.db.db
        .selectFrom('payments')
        .selectAll()
        .where('txn_id', '=', id)
        .execute();
      expect(rows).toEqual([]);
      expect((await collector('GET', `/exits/${id}`)).json().state).toBe('priced');
    });

    it('a code no channel could own (cut short by the scanner) is refused with a stable code; nothing is sent', async () => {
      const { id, amount } = await priced();
      const res = await collector('POST', `/exits/${id}/debit-intent`, {
        payment: 'qr',
        amount,
        mode: 'code',
        authCode: '134512345678',
      });
      expect(res.statusCode, res.body).toBe(422);
      expect(res.json().code).toBe('STN_ERR_PAY_CODE_INVALID');
      expect((await collector('GET', `/exits/${id}`)).json().state).toBe('priced');
    });

    it('cash: tendered below the amount is refused; above it the station computes the change; payType 1', async () => {
      const { id, amount } = await priced();
      const short = await collector('POST', `/exits/${id}/debit-intent`, {
        payment: 'cash',
        amount,
        tendered: amount - 1,
      });
      expect(short.statusCode, short.body).toBe(422);
      expect(short.json().code).toBe('STN_ERR_PAY_CASH_SHORT');
      const intent = await collector('POST', `/exits/${id}/debit-intent`, {
        payment: 'cash',
        amount,
        tendered: amount + 5000,
      });
      expect(intent.statusCode, intent.body).toBe(200);
      expect(intent.json().payment).toMatchObject({
        method: 'cash',
        phase: 'succeeded',
        cash: { tendered: amount + 5000, change: 5000 },
      });
      const commit = await collector('POST', `/exits/${id}/commit`, {
        tradeId: intent.json().tradeId,
        cardWrite: 'written',
      });
      expect(commit.statusCode, commit.body).toBe(201);
      expect(commit.json().record).toMatchObject({ payType: 1, fee: amount });
    });
  });
}
