import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attemptOf } from '../repositories/payments.repository';
import { cpcExitSteps, startPaygateWorld } from '../testing/cpc-payment-rig';
import type { Harness } from '../testing/harness';
import type { TestPaygate } from '../testing/paygate';
import { DIALECTS } from '../testing/test-db';

type Json = Record<string, unknown>;

let serial = 0;
const nextCpcId = () =>
  `3700BEEF${String(process.pid % 1000).padStart(3, '0')}${String(++serial).padStart(5, '0')}`;
let requestSerial = 0;
const requestId = () => `TEST-rq-nr-${process.pid}-${++requestSerial}`;

/**
 * A monitor refunding a captured QR payment whose exit the collector has not committed yet (issue #21): the
 * commit would then record the full amount as paid while the platform refunded part of it. Refused
 * (STN_ERR_REFUND_NOT_RECORDED), nothing sent to the platform, until the record exists; then refunded. A second
 * capture under the same pay ID of an exit recorded with the first (payments.md §7) is refundable at once.
 */
for (const dialect of DIALECTS) {
  describe(`${dialect}: refunds of a capture whose exit is not yet recorded`, () => {
    let h: Harness;
    let pg: TestPaygate;
    let photo = '';
    const { collector, monitor, paidByQr } = cpcExitSteps({
      h: () => h,
      cpcId: nextCpcId,
      photo: () => photo,
      code: () => pg.code(),
    });
    const refund = (ref: string, amountFen: number) =>
      monitor('POST', `/payments/${ref}/refunds`, {
        amountFen,
        reason: '顾客重复付款 (TEST)',
        refundRequestId: requestId(),
      });
    const platformRefunds = async (payId: string) => {
      const res = await pg.h.signed('GET', `/v1/orders?payId=${payId}`);
      const orders = (
        res.json() as { orders: { outTradeNo: string; refundedAmount: number; refunds: Json[] }[] }
      ).orders;
      return orders.map((o) => ({
        outTradeNo: o.outTradeNo,
        refundedAmount: o.refundedAmount,
        refunds: o.refunds.length,
      }));
    };
    const db = () => h.station.services.db.db;

    beforeAll(async () => {
      ({ pg, h, photo } = await startPaygateWorld(dialect));
    });
    afterAll(async () => {
      await h?.close();
      await pg?.close();
    });

    it('before the commit: refused with nothing sent or written; after the commit: refunded, the record bound to the capture', async () => {
      const paid = await paidByQr({ commit: false });
      for (const ref of [paid.payId, paid.outTradeNo]) {
        const early = await refund(ref, 100);
        expect(early.statusCode, early.body).toBe(409);
        expect(early.json()).toMatchObject({
          code: 'STN_ERR_REFUND_NOT_RECORDED',
          message: expect.stringContaining('该笔交易尚未提交'),
        });
      }
      expect(await platformRefunds(paid.payId)).toEqual([
        { outTradeNo: paid.outTradeNo, refundedAmount: 0, refunds: 0 },
      ]);
      expect(await db().selectFrom('refunds').selectAll().where('pay_id', '=', paid.payId).execute()).toEqual(
        [],
      );
      const audit = await h.station.services.audit.list(0, 10_000);
      expect(audit.filter((a) => a.action === 'payment.refund' && a.target === paid.payId)).toEqual([]);

      // The collector commits: the record holds the full amount as paid by this capture.
      const c = await collector('POST', `/exits/${paid.id}/commit`, {
        tradeId: paid.tradeId,
        cardWrite: 'written',
      });
      expect(c.statusCode, c.body).toBe(201);
      const after = await refund(paid.payId, 100);
      expect(after.statusCode, after.body).toBe(201);
      expect(after.json().refund).toMatchObject({ state: 'refunded', amountFen: 100 });
      expect(after.json().payment).toMatchObject({ tradeId: paid.tradeId, refundedFen: 100 });
      expect(await platformRefunds(paid.payId)).toEqual([
        { outTradeNo: paid.outTradeNo, refundedAmount: 100, refunds: 1 },
      ]);
    });

    it('a second capture under the pay ID of an exit recorded with the first: refunded at once', async () => {
      const paid = await paidByQr();
      // The customer paid twice: the platform captured a second attempt the commit never recorded.
      const twinNo = `${paid.payId}-2`;
      // The reference platform refuses a second capture under a paid pay ID (as Fujian's 300001 does): the
      // duplicate a looser platform let through is planted in its store.
      const store = pg.h.paygate.platform.store;
      const merchantId = pg.h.merchant.id;
      const once = store.get(merchantId, paid.outTradeNo);
      if (!once) throw new Error(`TEST: no platform order ${paid.outTradeNo}`);
      store.put({ ...structuredClone(once), order: { ...structuredClone(once.order), outTradeNo: twinNo } });
      const row = await db()
        .selectFrom('payments')
        .selectAll()
        .where('out_trade_no', '=', paid.outTradeNo)
        .executeTakeFirstOrThrow();
      const first = attemptOf(row);
      await db()
        .insertInto('payments')
        .values({
          ...row,
          out_trade_no: twinNo,
          attempt: 2,
          recorded_trade_id: null,
          record_json: JSON.stringify({
            ...first,
            attempt: 2,
            outTradeNo: twinNo,
            paid: first.paid && { ...first.paid, outTradeNo: twinNo },
          }),
        })
        .execute();

      const res = await refund(twinNo, paid.amount);
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json().refund).toMatchObject({
        state: 'refunded',
        outTradeNo: twinNo,
        amountFen: paid.amount,
      });
      // The recorded capture stays whole.
      expect(await platformRefunds(paid.payId)).toEqual(
        expect.arrayContaining([
          { outTradeNo: paid.outTradeNo, refundedAmount: 0, refunds: 0 },
          { outTradeNo: twinNo, refundedAmount: paid.amount, refunds: 1 },
        ]),
      );
    });

    it('a second capture before the commit: refused too (the commit may still record either), nothing sent', async () => {
      const paid = await paidByQr({ commit: false });
      const row = await db()
        .selectFrom('payments')
        .selectAll()
        .where('out_trade_no', '=', paid.outTradeNo)
        .executeTakeFirstOrThrow();
      const first = attemptOf(row);
      const twinNo = `${paid.payId}-2`;
      await db()
        .insertInto('payments')
        .values({
          ...row,
          out_trade_no: twinNo,
          attempt: 2,
          record_json: JSON.stringify({
            ...first,
            attempt: 2,
            outTradeNo: twinNo,
            paid: first.paid && { ...first.paid, outTradeNo: twinNo },
          }),
        })
        .execute();
      for (const ref of [paid.outTradeNo, twinNo]) {
        const early = await refund(ref, 100);
        expect(early.statusCode, early.body).toBe(409);
        expect(early.json().code).toBe('STN_ERR_REFUND_NOT_RECORDED');
      }
      expect(await db().selectFrom('refunds').selectAll().where('pay_id', '=', paid.payId).execute()).toEqual(
        [],
      );
    });
  });
}
