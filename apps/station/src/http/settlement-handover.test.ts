import type { HandoverReport, SettlementReport } from '@tollpad/station-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPayId } from '../../../paygate/src/testing/harness';
import { attemptOf } from '../repositories/payments.repository';
import { cpcExitSteps, moveClocks, startPaygateWorld } from '../testing/cpc-payment-rig';
import { type Harness, TEST_PASSWORD } from '../testing/harness';
import { OTHER_TERMINAL, otherCollector } from '../testing/other-collector';
import type { TestPaygate } from '../testing/paygate';
import { differenceKinds } from '../testing/settlement-differences';
import { DIALECTS } from '../testing/test-db';

/** TEST days (Beijing): the payments on DAY, its file published the next day at 09:00. */
const DAY = '2026-12-06';
const AT_DAY = new Date('2026-12-06T02:00:00.000Z'); // 10:00 Beijing
const NEXT_DAY = new Date('2026-12-07T02:00:00.000Z'); // DAY's file out, the next day's not yet
const DAY_AFTER = new Date('2026-12-08T02:00:00.000Z'); // both files out

/**
 * Settlement at the station and the shift's hand-over, against the reference platform (its TEST merchant, its
 * clock moved with the station's): each difference produced for real at the platform or in the station's own
 * rows, the hand-over's cash (expected vs counted), QR per channel against the settlement, receipts, refusals.
 */
for (const dialect of DIALECTS) {
  describe(`${dialect}: settlement matching and shift hand-over`, () => {
    let h: Harness;
    let pg: TestPaygate;
    let photo: string;
    let shiftId: string;

    const setClocks = (at: Date) => moveClocks(h, pg, at);
    const as = (token: string) => (method: 'GET' | 'POST', url: string, body?: unknown) =>
      h.call(method, url, { token, ...(body === undefined ? {} : { body }) });
    const { collector, monitor, priced, paidByQr } = cpcExitSteps({
      h: () => h,
      cpcId: (serial) => `3700DDDD${String(serial).padStart(8, '0')}`,
      photo: () => photo,
      code: () => pg.code(),
    });

    async function paidByCash(tendered: (amount: number) => number) {
      const { id, amount } = await priced();
      const intent = await collector('POST', `/exits/${id}/debit-intent`, {
        payment: 'cash',
        amount,
        tendered: tendered(amount),
      });
      expect(intent.statusCode, intent.body).toBe(200);
      const tradeId = intent.json().tradeId as string;
      const c = await collector('POST', `/exits/${id}/commit`, { tradeId, cardWrite: 'written' });
      expect(c.statusCode, c.body).toBe(201);
      return { id, amount, tradeId };
    }

    const db = () => h.station.services.db.db;
    const paymentRows = () => db().selectFrom('payments').selectAll().orderBy('out_trade_no').execute();

    // What the scenario leaves, for the assertions of the later tests.
    let matched: Awaited<ReturnType<typeof paidByQr>>;
    let unrecorded: Awaited<ReturnType<typeof paidByQr>>;
    let altered: Awaited<ReturnType<typeof paidByQr>>;
    let refunded: Awaited<ReturnType<typeof paidByQr>>;
    let cashA: Awaited<ReturnType<typeof paidByCash>>;
    let cashB: Awaited<ReturnType<typeof paidByCash>>;
    const foreignPayId = testPayId(9001);
    const foreignNo = `${foreignPayId}-1`;

    beforeAll(async () => {
      // The TEST clocks jump days ahead: the sessions made at the harness's start must outlive them.
      ({ pg, h, shiftId, photo } = await startPaygateWorld(dialect, {
        overrides: { sessionTtlMs: 60 * 86_400_000 },
        at: AT_DAY,
      }));

      matched = await paidByQr();
      unrecorded = await paidByQr({ commit: false });
      altered = await paidByQr();
      refunded = await paidByQr();
      // A refund through the station (a monitor, a reason): both sides hold it.
      const refund = await monitor('POST', `/payments/${refunded.payId}/refunds`, {
        amountFen: 200,
        reason: '多收款退回 (TEST)',
        refundRequestId: 'TEST-settle-refund-1',
      });
      expect(refund.statusCode, refund.body).toBe(201);
      expect(refund.json().refund).toMatchObject({ state: 'refunded' });
      cashA = await paidByCash((a) => a + 5000);
      cashB = await paidByCash((a) => a);

      // At the platform, with no station behind it: a capture under a pay ID the station never minted…
      const paid = await pg.h.signed('POST', '/v1/micropay', {
        outTradeNo: foreignNo,
        payId: foreignPayId,
        amount: 1234,
        authCode: pg.code(),
        subject: 'TEST capture without a station record',
      });
      expect(paid.statusCode, paid.body).toBe(200);
      // …reversed later (past the platform's 15 s guard), and a refund of the station's matched payment.
      pg.h.clock.freeze(new Date(AT_DAY.getTime() + 60_000));
      const reversed = await pg.h.signed('POST', `/v1/orders/${foreignNo}/reverse`);
      expect(reversed.statusCode, reversed.body).toBe(200);
      const atPlatform = await pg.h.signed('POST', `/v1/orders/${matched.outTradeNo}/refunds`, {
        outRefundNo: `${matched.outTradeNo}R9`,
        amount: 100,
        reason: 'TEST refund made at the platform only',
      });
      expect(atPlatform.statusCode, atPlatform.body).toBe(200);

      // The station's own rows, as a restored backup or a bug might leave them: a second capture under the
      // matched payment's pay ID the platform never saw, and another payment's captured amount changed.
      const row = await db()
        .selectFrom('payments')
        .selectAll()
        .where('out_trade_no', '=', matched.outTradeNo)
        .executeTakeFirstOrThrow();
      const twin = attemptOf(row);
      const twinNo = `${matched.payId}-2`;
      await db()
        .insertInto('payments')
        .values({
          ...row,
          out_trade_no: twinNo,
          attempt: 2,
          recorded_trade_id: null,
          record_json: JSON.stringify({
            ...twin,
            attempt: 2,
            outTradeNo: twinNo,
            paid: twin.paid && { ...twin.paid, outTradeNo: twinNo },
          }),
        })
        .execute();
      const alteredRow = await db()
        .selectFrom('payments')
        .selectAll()
        .where('out_trade_no', '=', altered.outTradeNo)
        .executeTakeFirstOrThrow();
      const a = attemptOf(alteredRow);
      await db()
        .updateTable('payments')
        .set({
          record_json: JSON.stringify({
            ...a,
            paid: a.paid && { ...a.paid, amountFen: a.paid.amountFen + 1 },
          }),
        })
        .where('out_trade_no', '=', altered.outTradeNo)
        .execute();
      setClocks(AT_DAY);
    });
    afterAll(async () => {
      await h?.close();
      await pg?.close();
    });

    it('lists every difference of a day against the platform’s file, with totals per channel', async () => {
      setClocks(NEXT_DAY);
      const res = await monitor('GET', `/payments/settlement?date=${DAY}`);
      expect(res.statusCode, res.body).toBe(200);
      const r = res.json() as SettlementReport;
      expect(differenceKinds(r.differences)).toEqual(
        [
          `missing-at-station:pay:${foreignNo}`,
          `missing-at-station:reverse:${foreignNo}`,
          `missing-at-station:refund:${matched.outTradeNo}`,
          `missing-at-platform:pay:${matched.payId}-2`,
          `duplicate:pay:${matched.payId}`,
          `amount-differs:pay:${altered.outTradeNo}`,
          `not-recorded:pay:${unrecorded.outTradeNo}`,
        ].sort(),
      );
      const notRecorded = r.differences.find((d) => d.kind === 'not-recorded');
      expect(notRecorded).toMatchObject({ txnId: unrecorded.id, tradeId: null });
      expect(notRecorded?.message).toContain('【提交数据】');
      expect(r.differences.find((d) => d.kind === 'duplicate')).toMatchObject({ side: 'station', count: 2 });
      expect(r.differences.find((d) => d.kind === 'amount-differs')).toMatchObject({
        stationAmount: altered.amount + 1,
        platformAmount: altered.amount,
        tradeId: altered.tradeId,
      });
      // matched's, unrecorded's and refunded's pay lines agree, and the station's refund.
      expect(r.matched).toBe(4);
      expect(r.byChannel).toEqual([
        {
          channel: 'WECHAT',
          name: '微信',
          station: {
            payCount: 5,
            payAmount: matched.amount * 2 + unrecorded.amount + altered.amount + 1 + refunded.amount,
            refundCount: 1,
            refundAmount: 200,
          },
          platform: {
            payCount: 5,
            payAmount: matched.amount + unrecorded.amount + altered.amount + 1234 + refunded.amount,
            refundCount: 3,
            refundAmount: 100 + 1234 + 200,
          },
        },
      ]);
    });

    it('refuses a collector, a malformed or future date, a day not yet published, and an unreachable platform (nothing changes)', async () => {
      setClocks(NEXT_DAY);
      const forbidden = await collector('GET', `/payments/settlement?date=${DAY}`);
      expect([forbidden.statusCode, forbidden.json().code]).toEqual([403, 'STN_ERR_AUTH_FORBIDDEN']);
      for (const date of ['yesterday', '2026-02-30', '2026-12-6', '2026-12-08']) {
        const res = await monitor('GET', `/payments/settlement?date=${date}`);
        expect([res.statusCode, res.json().code], date).toEqual([422, 'STN_ERR_SETTLE_DATE_INVALID']);
      }
      const today = await monitor('GET', '/payments/settlement?date=2026-12-07');
      expect([today.statusCode, today.json().code]).toEqual([409, 'STN_ERR_SETTLE_NOT_READY']);
      const before = await paymentRows();
      await pg.fault({ kind: 'outage-503', merchantId: pg.h.merchant.id, ops: ['settlement'], times: 1 });
      const down = await monitor('GET', `/payments/settlement?date=${DAY}`);
      expect([down.statusCode, down.json().code]).toEqual([503, 'STN_ERR_SETTLE_UNREACHABLE']);
      expect(await paymentRows()).toEqual(before);
    });

    it('logs receipts printed and reprinted, for the exit’s collector or a monitor only', async () => {
      setClocks(NEXT_DAY);
      // The collector reprints from their own shift's records (the station-wide search is the monitors').
      const own = await collector('GET', `/shifts/${shiftId}/records`);
      expect(own.statusCode, own.body).toBe(200);
      expect((own.json() as { tradeId: string }[]).map((r) => r.tradeId).sort()).toEqual(
        [matched.tradeId, altered.tradeId, refunded.tradeId, cashA.tradeId, cashB.tradeId].sort(),
      );
      const print = await collector('POST', `/records/${cashA.tradeId}/receipts`, { kind: 'print' });
      expect(print.statusCode, print.body).toBe(201);
      expect(print.json()).toMatchObject({ tradeId: cashA.tradeId, kind: 'print' });
      expect(
        (await collector('POST', `/records/${cashA.tradeId}/receipts`, { kind: 'reprint' })).statusCode,
      ).toBe(201);
      expect(
        (await monitor('POST', `/records/${matched.tradeId}/receipts`, { kind: 'reprint' })).statusCode,
      ).toBe(201);
      const b = await otherCollector(h);
      const stranger = await as(b.token)('POST', `/records/${cashA.tradeId}/receipts`, { kind: 'reprint' });
      expect([stranger.statusCode, stranger.json().code]).toEqual([403, 'STN_ERR_EXIT_NOT_YOURS']);
      const bad = await collector('POST', `/records/${cashA.tradeId}/receipts`, { kind: 'scrap' });
      expect([bad.statusCode, bad.json().code]).toEqual([400, 'STN_ERR_REQ_INVALID']);
      const none = await collector('POST', '/records/NOPE/receipts', { kind: 'print' });
      expect(none.json().code).toBe('STN_ERR_RECORD_NOT_FOUND');
      // One statement, one snapshot: the appender moves an entry from audit_pending to audit_log in one
      // transaction, so two separate reads could count an entry twice (or not at all).
      const reprints = await db()
        .selectFrom('audit_pending')
        .select('target')
        .where('action', '=', 'receipt.reprint')
        .unionAll(db().selectFrom('audit_log').select('target').where('action', '=', 'receipt.reprint'))
        .execute();
      expect(reprints.map((r) => r.target).sort()).toEqual([cashA.tradeId, matched.tradeId].sort());
    });

    it('a blind count: the collector asking for their own shift’s hand-over before counting gets no cash figure; the monitor does', async () => {
      setClocks(NEXT_DAY);
      const expected = cashA.amount + cashB.amount;
      const res = await collector('GET', `/shifts/${shiftId}/handover`);
      expect(res.statusCode, res.body).toBe(200);
      const r = res.json() as HandoverReport;
      expect(r.blind).toBe(true);
      expect(r.handover).toBeNull();
      expect(r.cash).toEqual({
        vehicles: 2,
        paybacks: 0,
        expected: null,
        tendered: null,
        change: null,
        counted: null,
        difference: null,
      });
      // Nor the cash payType's amount (it is the expected cash); the other payTypes stay.
      expect(r.byPayType.map((g) => g.payType)).toEqual([7]);
      const seen = await monitor('GET', `/shifts/${shiftId}/handover`);
      expect(seen.statusCode, seen.body).toBe(200);
      const m = seen.json() as HandoverReport;
      expect(m.blind).toBe(false);
      expect(m.cash).toMatchObject({ expected, tendered: expected + 5000, change: 5000, counted: null });
      expect(m.byPayType.map((g) => [g.payType, g.amount])).toContainEqual([1, expected]);
    });

    it('hands the shift over: cash expected (Σ due, not Σ tendered) vs counted, payTypes, QR per channel, receipts, open items', async () => {
      setClocks(NEXT_DAY);
      const expected = cashA.amount + cashB.amount;
      const res = await collector('POST', `/shifts/${shiftId}/handover`, { cashCounted: expected - 100 });
      expect(res.statusCode, res.body).toBe(200);
      const r = res.json() as HandoverReport;
      expect(r.shift.closedAt).toBe(NEXT_DAY.toISOString());
      expect(r.handover).toMatchObject({ cashCounted: expected - 100 });
      expect(r.blind).toBe(false);
      expect(r.cash).toEqual({
        vehicles: 2,
        paybacks: 0,
        expected,
        tendered: expected + 5000,
        change: 5000,
        counted: expected - 100,
        difference: -100,
      });
      expect(r.byPayType.map((g) => [g.payType, g.vehicles, g.amount])).toEqual([
        [1, 2, expected],
        [7, 3, matched.amount + altered.amount + refunded.amount],
      ]);
      expect(r.etcCard).toEqual({ vehicles: 0, amount: 0 });
      expect(r.qr.byChannel).toEqual([
        {
          channel: 'WECHAT',
          name: '微信',
          station: { count: 3, amount: matched.amount + altered.amount + 1 + refunded.amount },
          platform: null,
        },
      ]);
      // The shift ends on the next day, whose file the platform publishes the day after.
      expect(r.qr.settlement).toMatchObject({ state: 'not-ready' });
      expect(r.receipts).toMatchObject({ printed: 1, reprinted: 2 });
      // The unrecorded payment, and the station's second capture under the matched pay ID.
      expect(r.openItems.capturedNotRecorded).toBe(2);
      expect(r.cpcStock.collected).toBe(5);
      expect(r.openItems.refundsPending).toEqual([]);
      const audit = await db()
        .selectFrom('audit_pending')
        .select(['actor', 'detail'])
        .where('action', '=', 'shift.handover')
        .execute();
      const chained = await db()
        .selectFrom('audit_log')
        .select(['actor', 'detail'])
        .where('action', '=', 'shift.handover')
        .execute();
      expect([...audit, ...chained].map((a) => JSON.parse(a.detail))).toEqual([
        { cashCounted: expected - 100 },
      ]);

      // Counted: the collector's own reading of the report now has every figure.
      const after = (await collector('GET', `/shifts/${shiftId}/handover`)).json() as HandoverReport;
      expect([after.blind, after.cash.expected, after.cash.difference]).toEqual([false, expected, -100]);
      expect(after.byPayType.map((g) => g.payType)).toEqual([1, 7]);

      const again = await collector('POST', `/shifts/${shiftId}/handover`, { cashCounted: expected });
      expect([again.statusCode, again.json().code]).toEqual([409, 'STN_ERR_HANDOVER_ALREADY_DONE']);
    });

    it('the settlement of the shift’s payments once published: matched, missing, extra; the monitor sees it', async () => {
      setClocks(DAY_AFTER);
      const res = await monitor('GET', `/shifts/${shiftId}/handover`);
      expect(res.statusCode, res.body).toBe(200);
      const r = res.json() as HandoverReport;
      expect(r.qr.settlement.state).toBe('differences');
      expect(r.qr.settlement.matched).toBe(4);
      expect(differenceKinds(r.qr.settlement.missing)).toEqual([
        `missing-at-station:refund:${matched.outTradeNo}`,
      ]);
      expect(differenceKinds(r.qr.settlement.extra)).toEqual([`missing-at-platform:pay:${matched.payId}-2`]);
      expect(differenceKinds(r.qr.settlement.other)).toEqual(
        [
          `duplicate:pay:${matched.payId}`,
          `amount-differs:pay:${altered.outTradeNo}`,
          `not-recorded:pay:${unrecorded.outTradeNo}`,
        ].sort(),
      );
      expect(r.qr.byChannel[0]?.platform).toEqual({
        count: 4,
        amount: matched.amount + unrecorded.amount + altered.amount + refunded.amount,
      });
    });

    it('refuses another collector’s shift and bad counts', async () => {
      const b = await h.station.services.auth.login('test-collector-b', TEST_PASSWORD, OTHER_TERMINAL.id);
      const read = await as(b.token)('GET', `/shifts/${shiftId}/handover`);
      expect([read.statusCode, read.json().code]).toEqual([403, 'STN_ERR_AUTH_FORBIDDEN']);
      const close = await as(b.token)('POST', `/shifts/${shiftId}/handover`, { cashCounted: 0 });
      expect([close.statusCode, close.json().code]).toEqual([403, 'STN_ERR_AUTH_FORBIDDEN']);
      for (const cashCounted of [-1, 1.5, 'many']) {
        const bad = await monitor('POST', `/shifts/${shiftId}/handover`, { cashCounted });
        expect([bad.statusCode, bad.json().code]).toEqual([400, 'STN_ERR_REQ_INVALID']);
      }
      const records = await as(b.token)('GET', `/shifts/${shiftId}/records`);
      expect([records.statusCode, records.json().code]).toEqual([403, 'STN_ERR_AUTH_FORBIDDEN']);
      const missing = await monitor('GET', '/shifts/NOPE/handover');
      expect(missing.json().code).toBe('STN_ERR_SHIFT_NOT_FOUND');
    });
  });
}
