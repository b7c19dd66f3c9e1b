import type { PaymentPort } from '@tollpad/payment';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paygatePort } from '../ports/paygate-port';
import { cpcExitSteps, FAST_POLLS, type Send, uploadTestPhoto } from '../testing/cpc-payment-rig';
import { type Harness, startHarness } from '../testing/harness';
import { startTestPaygate, type TestPaygate } from '../testing/paygate';
import { DIALECTS } from '../testing/test-db';
import { configureWorld } from '../testing/world';

type Json = Record<string, unknown>;

/** A TEST refund request ID (the handheld mints one per 【退款】 dialog). */
let requestSerial = 0;
const requestId = () => `TEST-rc-${process.pid}-${++requestSerial}-${Date.now()}`;
/** Every TEST CPC of this file is another card (a closed CPC read again within 24 h is refused). */
let serial = 0;
const nextCpcId = () =>
  `3700FEEC${String(process.pid % 1000).padStart(3, '0')}${String(++serial).padStart(5, '0')}`;

const ordersOf = async (pg: TestPaygate, payId: string) => {
  const res = await pg.h.signed('GET', `/v1/orders?payId=${payId}`);
  return (res.json() as { orders: { refunds: { outRefundNo: string; amount: number }[] }[] }).orders;
};

/**
 * A platform answer that contradicts a refund (issue #21 review): refunded for another amount, or the refund
 * number already another refund's. Asking again under the number can never change it, so the refund ends in
 * `conflict` — audited, listed, held, in the hand-over's open items — and is never sent again: a person checks.
 */
for (const dialect of DIALECTS) {
  describe(`${dialect}: a refund the platform's answer contradicts ends in conflict`, () => {
    let h: Harness;
    let pg: TestPaygate;
    let photo = '';
    let shiftId = '';
    let paidByQr: (plate: string) => Promise<{ payId: string; amount: number }>;
    /** TEST: when set, the platform's "refunded" answers name this amount (a platform contradicting the refund). */
    let answeredAmount: number | undefined;
    const as =
      (role: 'collector' | 'monitor'): Send =>
      (method, url, body) =>
        h.station.app.inject({
          method,
          url,
          headers: { authorization: `Bearer ${h.tokens[role]}` },
          ...(body === undefined ? {} : { payload: body as object }),
        });
    const monitor = as('monitor');
    const refund = (ref: string, amountFen: number) =>
      monitor('POST', `/payments/${ref}/refunds`, {
        amountFen,
        reason: '重复扣款，顾客投诉 (TEST)',
        refundRequestId: requestId(),
      });
    const refundRows = (payId: string) =>
      h.station.services.db.db.selectFrom('refunds').selectAll().where('pay_id', '=', payId).execute();

    beforeAll(async () => {
      pg = await startTestPaygate();
      const real = paygatePort(pg.port);
      const port: PaymentPort = {
        ...real,
        refund: async (r) => {
          const a = await real.refund(r);
          return a.kind === 'refunded' && answeredAmount !== undefined
            ? { ...a, amountFen: answeredAmount }
            : a;
        },
      };
      h = await startHarness(dialect, {}, { paymentPort: port, paymentSchedule: FAST_POLLS });
      shiftId = (await configureWorld(h)).shiftId;
      photo = await uploadTestPhoto(h);
      const steps = cpcExitSteps({
        h: () => h,
        cpcId: nextCpcId,
        photo: () => photo,
        code: () => pg.code(),
        send: as,
      });
      paidByQr = (plate) => steps.paidByQr({ plate });
    });
    afterAll(async () => {
      await h?.close();
      await pg?.close();
    });

    /** Final at once, audited, listed, held, in the hand-over's open items, and never sent again. */
    const expectConflict = async (payId: string, amountFen: number, refusal: string) => {
      const rows = await refundRows(payId);
      expect(rows.map((r) => [r.state, r.refusal, r.tries])).toEqual([['conflict', refusal, 1]]);
      const audit = await h.station.services.audit.list(0, 10_000);
      const entry = audit.find((a) => a.action === 'payment.refund.conflict' && a.target === payId);
      expect(entry?.actor).toBe('system:refund-worker');
      expect(JSON.parse(entry!.detail)).toMatchObject({ state: 'conflict', refusal, amountFen });
      const view = await monitor('GET', `/payments/${payId}/refunds`);
      expect(view.statusCode, view.body).toBe(200);
      expect(view.json()).toMatchObject({ refundedFen: 0, pendingFen: amountFen });
      expect((view.json().refunds as Json[])[0]).toMatchObject({ state: 'conflict', refusal });
      const listed = (await monitor('GET', `/payments?q=${payId}`)).json() as unknown as Json[];
      expect((listed[0]!.refunds as Json[]).map((f) => f.state)).toEqual(['conflict']);
      const report = await monitor('GET', `/shifts/${shiftId}/handover`);
      expect(report.statusCode, report.body).toBe(200);
      const open = (report.json().openItems as { refundsPending: Json[] }).refundsPending;
      expect(open).toContainEqual({
        refundNo: rows[0]!.refund_no,
        outTradeNo: `${payId}-1`,
        state: 'conflict',
        amount: amountFen,
      });
      // The worker asks an unclear refund again every 500 ms here: three intervals on, it was never sent again.
      await new Promise((r) => setTimeout(r, 1_600));
      expect((await refundRows(payId)).map((r) => [r.state, r.tries])).toEqual([['conflict', 1]]);
    };

    it('the refund number already used at the platform for another refund: conflict, held, never asked again', async () => {
      const paid = await paidByQr('鲁A77001');
      // TEST: the platform already holds a refund of 100 under the number the station will mint (say, a
      // station database restored from before that refund was made).
      const made = await pg.h.signed('POST', `/v1/orders/${paid.payId}-1/refunds`, {
        outRefundNo: `${paid.payId}-1R1`,
        amount: 100,
      });
      expect(made.statusCode, made.body).toBe(200);
      const res = await refund(paid.payId, 300);
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json().refund).toMatchObject({ state: 'conflict', refusal: 'number-used' });
      // Held until a person has checked: no further refund may pass the captured amount because of it.
      expect(res.json().payment).toMatchObject({ pendingFen: 300, refundableFen: paid.amount - 300 });
      await expectConflict(paid.payId, 300, 'number-used');
      const order = (await ordersOf(pg, paid.payId))[0]!;
      expect(order.refunds.map((f) => [f.outRefundNo, f.amount])).toEqual([[`${paid.payId}-1R1`, 100]]);
    });

    it('the platform answers refunded for another amount: conflict, audited with both amounts, never asked again', async () => {
      const paid = await paidByQr('鲁A77002');
      answeredAmount = 1;
      try {
        const res = await refund(paid.payId, 300);
        expect(res.statusCode, res.body).toBe(201);
        expect(res.json().refund).toMatchObject({ state: 'conflict', refusal: 'amount-differs' });
        await expectConflict(paid.payId, 300, 'amount-differs');
      } finally {
        answeredAmount = undefined;
      }
      const audit = await h.station.services.audit.list(0, 10_000);
      const entry = audit.find((a) => a.action === 'payment.refund.conflict' && a.target === paid.payId);
      expect(JSON.parse(entry!.detail)).toMatchObject({ amountFen: 300, platformAmountFen: 1 });
    });
  });
}
