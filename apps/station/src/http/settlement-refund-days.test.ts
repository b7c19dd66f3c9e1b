import type { HandoverReport, SettlementReport } from '@tollpad/station-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attemptOf } from '../repositories/payments.repository';
import { cpcExitSteps, moveClocks, startPaygateWorld } from '../testing/cpc-payment-rig';
import type { Harness } from '../testing/harness';
import type { TestPaygate } from '../testing/paygate';
import { differenceKinds } from '../testing/settlement-differences';
import { DIALECTS } from '../testing/test-db';

/** TEST days (Beijing): paid on DAY, the shift handed over that evening, refunded on REFUND_DAY. */
const DAY = '2026-11-02';
const REFUND_DAY = '2026-11-03';
const AT_DAY = new Date('2026-11-02T02:00:00.000Z'); // 10:00 Beijing
const EVENING = new Date('2026-11-02T12:00:00.000Z'); // 20:00 Beijing
const AT_REFUND_DAY = new Date('2026-11-03T02:00:00.000Z');
const LATER = new Date('2026-11-05T02:00:00.000Z'); // both files out

/**
 * A refund or a reverse moves money on its own Beijing day, not its payment's (the platform's file lists it on
 * the day it was made and the capture on the day it was paid): the day's settlement holds the station's refunds
 * and reverses of that day whatever day their payments were captured, and no capture of another day; the
 * hand-over holds its shift's days only.
 */
for (const dialect of DIALECTS) {
  describe(`${dialect}: settlement of a refund or reverse made on a later day than its payment`, () => {
    let h: Harness;
    let pg: TestPaygate;
    let photo: string;
    let shiftId: string;

    const setClocks = (at: Date) => moveClocks(h, pg, at);
    const { collector, monitor, paidByQr } = cpcExitSteps({
      h: () => h,
      cpcId: (serial) => `3700DDDE${String(serial).padStart(8, '0')}`,
      photo: () => photo,
      code: () => pg.code(),
    });

    const db = () => h.station.services.db.db;
    let refunded: Awaited<ReturnType<typeof paidByQr>>;
    let lost: Awaited<ReturnType<typeof paidByQr>>;
    let reversedLate: Awaited<ReturnType<typeof paidByQr>>;
    let refundedAtPlatform: Awaited<ReturnType<typeof paidByQr>>;

    beforeAll(async () => {
      ({ pg, h, shiftId, photo } = await startPaygateWorld(dialect, {
        overrides: { sessionTtlMs: 60 * 86_400_000 },
        at: AT_DAY,
      }));
      refunded = await paidByQr();
      lost = await paidByQr();
      reversedLate = await paidByQr({ commit: false });
      refundedAtPlatform = await paidByQr();
      setClocks(EVENING);
      const handed = await collector('POST', `/shifts/${shiftId}/handover`, { cashCounted: 0 });
      expect(handed.statusCode, handed.body).toBe(200);

      setClocks(AT_REFUND_DAY);
      // The next day a monitor refunds part of the first payment through the station: both sides hold it.
      const refund = await monitor('POST', `/payments/${refunded.payId}/refunds`, {
        amountFen: 200,
        reason: '多收款退回 (TEST)',
        refundRequestId: 'TEST-later-day-refund-1',
      });
      expect(refund.statusCode, refund.body).toBe(201);
      expect(refund.json().refund).toMatchObject({ state: 'refunded' });
      // A refund made at the platform alone, of another payment: listed with that payment's exit.
      const atPlatform = await pg.h.signed('POST', `/v1/orders/${refundedAtPlatform.outTradeNo}/refunds`, {
        outRefundNo: `${refundedAtPlatform.outTradeNo}R9`,
        amount: 50,
        reason: 'TEST refund made at the platform only',
      });
      expect(atPlatform.statusCode, atPlatform.body).toBe(200);
      // And the station holds a refund of the second payment as done that day, which the platform never
      // made (a restored backup or a bug): exactly what the day's settlement must list.
      const at = AT_REFUND_DAY.toISOString();
      await db()
        .insertInto('refunds')
        .values({
          refund_no: `${lost.outTradeNo}R1`,
          request_id: 'TEST-later-day-refund-never-landed',
          pay_id: lost.payId,
          out_trade_no: lost.outTradeNo,
          txn_id: lost.id,
          seq: 1,
          amount: 100,
          reason: 'TEST refund the platform never made',
          actor: 'test-monitor',
          state: 'refunded',
          refusal: null,
          refunded_at: at,
          tries: 1,
          created_at: at,
          updated_at: at,
        })
        .execute();
      // A capture of DAY given back by a reverse the next day (the station's row as its cancel would leave it).
      const reverse = await pg.h.signed('POST', `/v1/orders/${reversedLate.outTradeNo}/reverse`);
      expect(reverse.statusCode, reverse.body).toBe(200);
      const row = await db()
        .selectFrom('payments')
        .selectAll()
        .where('out_trade_no', '=', reversedLate.outTradeNo)
        .executeTakeFirstOrThrow();
      await db()
        .updateTable('payments')
        .set({
          phase: 'reversed',
          record_json: JSON.stringify({ ...attemptOf(row), phase: 'reversed' }),
          updated_at: at,
        })
        .where('out_trade_no', '=', reversedLate.outTradeNo)
        .execute();
      setClocks(LATER);
    });
    afterAll(async () => {
      await h?.close();
      await pg?.close();
    });

    it('the refund day: the refund and the reverse matched, the refund that never landed listed, no capture of the day before', async () => {
      const res = await monitor('GET', `/payments/settlement?date=${REFUND_DAY}`);
      expect(res.statusCode, res.body).toBe(200);
      const r = res.json() as SettlementReport;
      expect(differenceKinds(r.differences)).toEqual([
        `missing-at-platform:refund:${lost.outTradeNo}`,
        `missing-at-station:refund:${refundedAtPlatform.outTradeNo}`,
      ]);
      expect(r.differences.find((d) => d.kind === 'missing-at-station')).toMatchObject({
        txnId: refundedAtPlatform.id,
        tradeId: refundedAtPlatform.tradeId,
        platformAmount: 50,
      });
      expect(r.matched).toBe(2);
      expect(r.byChannel).toEqual([
        {
          channel: 'WECHAT',
          name: '微信',
          station: { payCount: 0, payAmount: 0, refundCount: 3, refundAmount: 300 + reversedLate.amount },
          platform: { payCount: 0, payAmount: 0, refundCount: 3, refundAmount: 250 + reversedLate.amount },
        },
      ]);
    });

    it('the payment day: every capture matched, no refund or reverse of the later day', async () => {
      const res = await monitor('GET', `/payments/settlement?date=${DAY}`);
      expect(res.statusCode, res.body).toBe(200);
      const r = res.json() as SettlementReport;
      expect(r.differences).toEqual([]);
      expect(r.matched).toBe(4);
    });

    it('the hand-over of the shift (its own day only): matched, no refund of a later day as the station’s extra', async () => {
      const res = await monitor('GET', `/shifts/${shiftId}/handover`);
      expect(res.statusCode, res.body).toBe(200);
      const r = res.json() as HandoverReport;
      expect(r.qr.settlement.extra).toEqual([]);
      expect(r.qr.settlement).toMatchObject({ state: 'matched', matched: 4, missing: [], other: [] });
    });
  });
}
