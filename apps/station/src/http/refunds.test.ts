import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config';
import { paygatePort } from '../ports/paygate-port';
import { TEST_KDF } from '../services/password';
import { createStation, type Station } from '../station';
import {
  cpcExitSteps,
  FAST_POLLS,
  HOUR,
  startPaygateStation,
  startPaygateWorld,
  uploadTestPhoto,
} from '../testing/cpc-payment-rig';
import { type Harness, TEST_PASSWORD, TEST_USERS } from '../testing/harness';
import type { TestPaygate } from '../testing/paygate';
import { TEST_PNG } from '../testing/sim-handheld';
import { DIALECTS } from '../testing/test-db';
import { configureWorld, TEST_WORLD, testReference } from '../testing/world';

type Json = Record<string, unknown>;
type Call = (
  method: 'GET' | 'POST',
  url: string,
  token: string,
  body?: unknown,
) => Promise<LightMyRequestResponse>;

const DAY = 24 * HOUR;
/** A TEST refund request ID (the handheld mints one per 【退款】 dialog). */
let requestSerial = 0;
const requestId = () => `TEST-rq-${process.pid}-${++requestSerial}-${Date.now()}`;

/** Every TEST CPC of this file is another card (a closed CPC read again within 24 h is refused). */
let serial = 0;
const nextCpcId = () =>
  `3700FEED${String(process.pid % 1000).padStart(3, '0')}${String(++serial).padStart(5, '0')}`;

/** The exits a test needs, over one station's HTTP API (TEST CPCs, TEST codes of the reference platform). */
function exits(h: Harness, pg: TestPaygate, call: () => Call, photo: () => string) {
  const steps = cpcExitSteps({
    h: () => h,
    cpcId: nextCpcId,
    photo,
    code: () => pg.code(),
    send: (role) => (method, url, body) => call()(method, url, h.tokens[role], body),
  });
  /** A CPC paid by a TEST WeChat code and committed: its pay ID, trade ID and amount. */
  const paidByQr = (plate?: string) => steps.paidByQr(plate === undefined ? {} : { plate });
  return { priced: steps.priced, settled: steps.settled, paidByQr, collector: steps.collector };
}

const ordersOf = async (pg: TestPaygate, payId: string) => {
  const res = await pg.h.signed('GET', `/v1/orders?payId=${payId}`);
  return (
    res.json() as {
      orders: { state: string; refundedAmount: number; refunds: { outRefundNo: string; amount: number }[] }[];
    }
  ).orders;
};

const callOf =
  (s: () => Station): Call =>
  (method, url, token, body) =>
    s().app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}` },
      ...(body === undefined ? {} : { payload: body as object }),
    });

/** Refunds by a monitor through the station's HTTP API, against the reference platform (issue #21). */
for (const dialect of DIALECTS) {
  describe(`${dialect}: refunds of a captured QR payment by a monitor`, () => {
    let h: Harness;
    let pg: TestPaygate;
    let photo = '';
    let x: ReturnType<typeof exits>;
    const call = () => callOf(() => h.station);
    const monitor = (method: 'GET' | 'POST', url: string, body?: unknown) =>
      call()(method, url, h.tokens.monitor, body);
    const refund = (ref: string, amountFen: number, extra: Partial<Json> = {}) =>
      monitor('POST', `/payments/${ref}/refunds`, {
        amountFen,
        reason: '重复扣款，顾客投诉 (TEST)',
        refundRequestId: requestId(),
        ...extra,
      });
    const refundRows = (payId: string) =>
      h.station.services.db.db.selectFrom('refunds').selectAll().where('pay_id', '=', payId).execute();

    beforeAll(async () => {
      ({ pg, h, photo } = await startPaygateWorld(dialect));
      x = exits(h, pg, call, () => photo);
    });
    afterAll(async () => {
      await h?.close();
      await pg?.close();
    });

    it('a whole refund: refunded at the platform under its number, listed with the exit, audited with who, why and how much', async () => {
      const paid = await x.paidByQr();
      const before = await monitor('GET', `/payments/${paid.tradeId}/refunds`);
      expect(before.statusCode, before.body).toBe(200);
      expect(before.json()).toMatchObject({
        payId: paid.payId,
        tradeId: paid.tradeId,
        txnId: paid.id,
        capturedFen: paid.amount,
        refundedFen: 0,
        refundableFen: paid.amount,
        refunds: [],
      });
      const res = await refund(paid.payId, paid.amount);
      expect(res.statusCode, res.body).toBe(201);
      const r = res.json() as { refund: Json; payment: Json };
      expect(r.refund).toMatchObject({
        state: 'refunded',
        amountFen: paid.amount,
        refundNo: `${paid.payId}-1R1`,
      });
      expect(r.payment).toMatchObject({ refundedFen: paid.amount, refundableFen: 0 });
      const [order] = await ordersOf(pg, paid.payId);
      expect(order).toMatchObject({ state: 'REFUND', refundedAmount: paid.amount });
      expect(order!.refunds.map((f) => f.outRefundNo)).toEqual([`${paid.payId}-1R1`]);
      const audit = await h.station.services.audit.list(0, 10_000);
      const entry = audit.find((a) => a.action === 'payment.refund' && a.target === paid.payId);
      const monitorId = (
        await h.station.services.db.db
          .selectFrom('accounts')
          .select('id')
          .where('username', '=', TEST_USERS.monitor)
          .executeTakeFirstOrThrow()
      ).id;
      expect(entry?.actor).toBe(monitorId);
      expect(JSON.parse(entry!.detail)).toMatchObject({
        amountFen: paid.amount,
        reason: '重复扣款，顾客投诉 (TEST)',
        tradeId: paid.tradeId,
      });
      expect(audit.some((a) => a.action === 'payment.refund.outcome' && a.target === paid.payId)).toBe(true);
    });

    it('partial refunds add up to the captured amount and no further; found by plate, pay ID and trade ID', async () => {
      const paid = await x.paidByQr('鲁A54321');
      expect(((await refund(paid.payId, 100)).json().refund as Json).state).toBe('refunded');
      expect(((await refund(paid.tradeId, 200)).json().refund as Json).state).toBe('refunded');
      const over = await refund(paid.payId, paid.amount - 300 + 1);
      expect(over.statusCode, over.body).toBe(422);
      expect(over.json().code).toBe('STN_ERR_REFUND_EXCEEDS');
      expect(await refundRows(paid.payId)).toHaveLength(2);
      const rest = await refund(paid.payId, paid.amount - 300);
      expect(rest.json().payment).toMatchObject({ refundedFen: paid.amount, refundableFen: 0 });
      const found = await monitor('GET', `/payments?q=${encodeURIComponent('鲁A54321')}`);
      expect(found.statusCode, found.body).toBe(200);
      const list = found.json() as unknown as Json[];
      expect(list.map((p) => p.payId)).toEqual([paid.payId]);
      expect((list[0]!.refunds as Json[]).map((f) => f.amountFen)).toEqual([100, 200, paid.amount - 300]);
      const order = (await ordersOf(pg, paid.payId))[0]!;
      expect(order.refundedAmount).toBe(paid.amount);
      expect(order.refunds).toHaveLength(3);
    });

    it('the same request again (also at once, twice): one refund, answered as replayed; the ID with another amount is refused', async () => {
      const paid = await x.paidByQr();
      const body = { amountFen: 150, reason: '多收款退回 (TEST)', refundRequestId: requestId() };
      const [a, b] = await Promise.all([
        monitor('POST', `/payments/${paid.payId}/refunds`, body),
        monitor('POST', `/payments/${paid.payId}/refunds`, body),
      ]);
      expect([a.statusCode, b.statusCode].sort(), `${a.body} ${b.body}`).toEqual([200, 201]);
      const again = await monitor('POST', `/payments/${paid.tradeId}/refunds`, body);
      expect(again.statusCode, again.body).toBe(200);
      expect(again.json()).toMatchObject({ replayed: true, refund: { refundNo: `${paid.payId}-1R1` } });
      const other = await monitor('POST', `/payments/${paid.payId}/refunds`, { ...body, amountFen: 160 });
      expect(other.json().code, other.body).toBe('STN_ERR_REFUND_REQUEST_REUSED');
      expect(await refundRows(paid.payId)).toHaveLength(1);
      const order = (await ordersOf(pg, paid.payId))[0]!;
      expect(order.refunds.map((f) => f.amount)).toEqual([150]);
    });

    it('an answer lost after the platform refunded: unknown, then the worker asks again under the same number; one refund', async () => {
      const paid = await x.paidByQr();
      await pg.fault({
        kind: 'lost-after-capture',
        merchantId: pg.port.merchantId,
        ops: ['refund'],
        times: 1,
      });
      const res = await refund(paid.payId, 300);
      expect(res.statusCode, res.body).toBe(201);
      expect(['unknown', 'requested']).toContain((res.json().refund as Json).state);
      expect(res.json().payment).toMatchObject({ pendingFen: 300, refundableFen: paid.amount - 300 });
      let view = (await monitor('GET', `/payments/${paid.payId}/refunds`)).json();
      for (let i = 0; i < 50 && (view.refunds as Json[])[0]!.state !== 'refunded'; i++) {
        await new Promise((r) => setTimeout(r, 200));
        view = (await monitor('GET', `/payments/${paid.payId}/refunds`)).json();
      }
      expect(view).toMatchObject({ refundedFen: 300, pendingFen: 0 });
      const order = (await ordersOf(pg, paid.payId))[0]!;
      expect(order.refunds.map((f) => [f.outRefundNo, f.amount])).toEqual([[`${paid.payId}-1R1`, 300]]);
      const rows = await refundRows(paid.payId);
      expect(rows[0]!.tries).toBeGreaterThanOrEqual(2);
    });

    it('refusals: a collector, a short reason, cash, a declined payment, unknown and foreign IDs, after the window', async () => {
      const paid = await x.paidByQr();
      const asCollector = await call()('POST', `/payments/${paid.payId}/refunds`, h.tokens.collector, {
        amountFen: 100,
        reason: '顾客要求退款 (TEST)',
        refundRequestId: requestId(),
      });
      expect(asCollector.statusCode).toBe(403);
      expect(asCollector.json().code).toBe('STN_ERR_AUTH_FORBIDDEN');
      const short = await refund(paid.payId, 100, { reason: ' 退 ' });
      expect([short.statusCode, short.json().code]).toEqual([422, 'STN_ERR_REFUND_REASON']);

      const cash = await x.priced('鲁A77777');
      const intent = await x.collector('POST', `/exits/${cash.id}/debit-intent`, {
        payment: 'cash',
        amount: cash.amount,
        tendered: cash.amount,
      });
      const cashTrade = intent.json().tradeId as string;
      await x.collector('POST', `/exits/${cash.id}/commit`, { tradeId: cashTrade, cardWrite: 'written' });
      const byCash = await refund(cashTrade, 100);
      expect([byCash.statusCode, byCash.json().code]).toEqual([409, 'STN_ERR_REFUND_CASH']);
      expect(byCash.json().message).toContain('现金');

      const declined = await x.priced('鲁A66666');
      await x.collector('POST', `/exits/${declined.id}/debit-intent`, {
        payment: 'qr',
        amount: declined.amount,
        mode: 'code',
        authCode: pg.code('0004'),
      });
      const failed = await x.settled(declined.id);
      expect(failed.phase).toBe('failed');
      const notPaid = await refund(failed.payId as string, 100);
      expect([notPaid.statusCode, notPaid.json().code]).toEqual([409, 'STN_ERR_REFUND_NOT_CAPTURED']);

      const unknownHere = `TP${TEST_WORLD.laneHex}2026010100999999`;
      expect((await refund(unknownHere, 100)).json().code).toBe('STN_ERR_REFUND_NOT_FOUND');
      const elsewhereHex = TEST_WORLD.stationHex === '37FFFFFF' ? '37EEEEEE' : '37FFFFFF';
      const foreignPay = await refund(`TP${elsewhereHex}012026010100000001`, 100);
      expect([foreignPay.statusCode, foreignPay.json().code]).toEqual([403, 'STN_ERR_REFUND_FOREIGN']);
      // Another station of the same section: its station sequence (characters 12–13) differs.
      const seq = paid.tradeId.slice(11, 13) === '99' ? '98' : '99';
      const foreignTrade = `${paid.tradeId.slice(0, 11)}${seq}${paid.tradeId.slice(13)}`;
      expect((await refund(foreignTrade, 100)).json().code).toBe('STN_ERR_REFUND_FOREIGN');
      expect((await refund('nonsense-id', 100)).json().code).toBe('STN_ERR_REFUND_NOT_FOUND');

      const now = h.clock.now;
      const paidAt = Date.parse(
        (await monitor('GET', `/payments/${paid.payId}/refunds`)).json().paidAt as string,
      );
      h.clock.now = new Date(paidAt + 366 * DAY);
      try {
        // A year on, the morning's session has expired: the monitor logs in again.
        const { token } = await h.station.services.auth.login(TEST_USERS.monitor, TEST_PASSWORD, null);
        const late = await call()('POST', `/payments/${paid.payId}/refunds`, token, {
          amountFen: 100,
          reason: '顾客一年后要求退款 (TEST)',
          refundRequestId: requestId(),
        });
        expect([late.statusCode, late.json().code]).toEqual([409, 'STN_ERR_REFUND_WINDOW_CLOSED']);
      } finally {
        h.clock.now = now;
      }
      // None of the refusals wrote a refund or reached the platform.
      expect(await refundRows(paid.payId)).toEqual([]);
      expect((await ordersOf(pg, paid.payId))[0]!.refunds).toEqual([]);
    });

    it('giving up an unpaid QR exit: refused while the payer may still pay and after capture; once declined it is voided with no record', async () => {
      const waiting = await x.priced('鲁A88888');
      const code = pg.code();
      await pg.fault({ kind: 'password', authCode: code, polls: 4, outcome: 'paid' });
      const intent = await x.collector('POST', `/exits/${waiting.id}/debit-intent`, {
        payment: 'qr',
        amount: waiting.amount,
        mode: 'code',
        authCode: code,
      });
      const tradeId = intent.json().tradeId as string;
      const inFlight = await x.collector('POST', `/exits/${waiting.id}/recover`, { outcome: 'not-debited' });
      expect(inFlight.json().code, inFlight.body).toBe('STN_ERR_PAY_IN_FLIGHT');
      expect((await x.settled(waiting.id)).phase).toBe('succeeded');
      const afterCapture = await x.collector('POST', `/exits/${waiting.id}/recover`, {
        outcome: 'not-debited',
      });
      expect(afterCapture.json().code, afterCapture.body).toBe('STN_ERR_PAY_ALREADY_PAID');
      const commit = await x.collector('POST', `/exits/${waiting.id}/commit`, {
        tradeId,
        cardWrite: 'written',
      });
      expect(commit.statusCode, commit.body).toBe(201);

      const unpaid = await x.priced('鲁A99999');
      await x.collector('POST', `/exits/${unpaid.id}/debit-intent`, {
        payment: 'qr',
        amount: unpaid.amount,
        mode: 'code',
        authCode: pg.code('0004'),
      });
      expect((await x.settled(unpaid.id)).phase).toBe('failed');
      const undone = await x.collector('POST', `/exits/${unpaid.id}/recover`, { outcome: 'not-debited' });
      expect(undone.statusCode, undone.body).toBe(200);
      const voided = await x.collector('POST', `/exits/${unpaid.id}/cancel`, {
        reason: '放弃本次交易：扫码未支付 (TEST)',
      });
      expect(voided.statusCode, voided.body).toBe(200);
      expect(voided.json().state).toBe('cancelled');
      const records = await h.station.services.db.db
        .selectFrom('exit_records')
        .select('trade_id')
        .where('txn_id', '=', unpaid.id)
        .execute();
      expect(records).toEqual([]);
      const audit = await h.station.services.audit.list(0, 10_000);
      expect(audit.filter((a) => a.target === unpaid.id).map((a) => a.action)).toEqual(
        expect.arrayContaining(['exit.recover', 'exit.cancel']),
      );
    });
  });

  describe(`${dialect}: a station restarted mid-refund asks again under the same number`, () => {
    let h: Harness;
    let pg: TestPaygate;
    let again: Station | undefined;
    let third: Station | undefined;
    let current: () => Station;
    const restart = () =>
      createStation({
        config: { ...loadConfig({}), databaseUrl: h.db.databaseUrl, dataDir: h.db.dataDir },
        kdf: TEST_KDF,
        logger: false,
        now: () => h.clock.now,
        reference: testReference(),
        paymentPort: paygatePort(pg.port),
        paymentSchedule: FAST_POLLS,
      });
    /** The payment's refunds view once its first refund ended (or as it stands after ~10 s). */
    const settledView = async (payId: string) => {
      const get = async () =>
        (await callOf(current)('GET', `/payments/${payId}/refunds`, h.tokens.monitor)).json();
      let view = await get();
      for (let i = 0; i < 50 && (view.refunds as Json[])[0]!.state !== 'refunded'; i++) {
        await new Promise((r) => setTimeout(r, 200));
        view = await get();
      }
      return view;
    };

    beforeAll(async () => {
      ({ pg, h } = await startPaygateStation(dialect));
      current = () => h.station;
      await configureWorld(h);
    });
    afterAll(async () => {
      await third?.close();
      await again?.close();
      await h?.db.drop();
      await pg?.close();
    });

    it('refunded at the platform, answer lost every time, station restarted: one refund, settled after the restart', async () => {
      const photo = await uploadTestPhoto(h);
      const call = () => callOf(current);
      const x = exits(h, pg, call, () => photo);
      const paid = await x.paidByQr();
      // Every refund answer is lost (the platform commits first): the station cannot learn the outcome.
      await pg.fault({ kind: 'lost-after-capture', merchantId: pg.port.merchantId, ops: ['refund'] });
      const res = await call()('POST', `/payments/${paid.payId}/refunds`, h.tokens.monitor, {
        amountFen: 250,
        reason: '重复扣款 (TEST)',
        refundRequestId: requestId(),
      });
      expect(res.statusCode, res.body).toBe(201);
      expect((res.json().refund as Json).state).toBe('unknown');

      await h.station.close(); // the station stops; the database stays
      await pg.h.admin('DELETE', '/test/faults');
      again = await restart();
      const restarted = again;
      current = () => restarted;
      let view = (await call()('GET', `/payments/${paid.payId}/refunds`, h.tokens.monitor)).json();
      for (let i = 0; i < 50 && (view.refunds as Json[])[0]!.state !== 'refunded'; i++) {
        await new Promise((r) => setTimeout(r, 200));
        view = (await call()('GET', `/payments/${paid.payId}/refunds`, h.tokens.monitor)).json();
      }
      expect(view).toMatchObject({ refundedFen: 250, pendingFen: 0, refundableFen: paid.amount - 250 });
      const order = (await ordersOf(pg, paid.payId))[0]!;
      expect(order.refundedAmount).toBe(250);
      expect(order.refunds.map((f) => f.outRefundNo)).toEqual([`${paid.payId}-1R1`]);
    });

    it('stopped after the refund was written, before its first send: the started station sends it; one refund', async () => {
      const s = current();
      const photo = (
        await s.app.inject({
          method: 'POST',
          url: '/images',
          headers: { authorization: `Bearer ${h.tokens.collector}`, 'content-type': 'image/png' },
          payload: TEST_PNG,
        })
      ).json().sha256 as string;
      const x = exits(
        h,
        pg,
        () => callOf(current),
        () => photo,
      );
      const paid = await x.paidByQr();
      // As the refund service leaves it when the process stops between its commit and the send.
      const at = h.clock.now.toISOString();
      await s.services.db.db
        .insertInto('refunds')
        .values({
          refund_no: `${paid.payId}-1R1`,
          request_id: requestId(),
          pay_id: paid.payId,
          out_trade_no: `${paid.payId}-1`,
          txn_id: paid.id,
          seq: 1,
          amount: 300,
          reason: '重复扣款 (TEST)',
          actor: 'test-monitor',
          state: 'requested',
          refusal: null,
          refunded_at: null,
          tries: 0,
          created_at: at,
          updated_at: at,
        })
        .execute();
      await s.close();
      third = await restart();
      const started = third;
      current = () => started;
      expect(await settledView(paid.payId)).toMatchObject({ refundedFen: 300, pendingFen: 0 });
      const order = (await ordersOf(pg, paid.payId))[0]!;
      expect(order.refunds.map((f) => [f.outRefundNo, f.amount])).toEqual([[`${paid.payId}-1R1`, 300]]);
    });
  });
}
