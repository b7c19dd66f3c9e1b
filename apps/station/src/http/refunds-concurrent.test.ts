import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpcExitSteps, startPaygateWorld } from '../testing/cpc-payment-rig';
import type { Harness } from '../testing/harness';
import type { TestPaygate } from '../testing/paygate';
import { DIALECTS } from '../testing/test-db';

type Json = Record<string, unknown>;

let serial = 0;
const nextCpcId = () =>
  `3700CAFE${String(process.pid % 1000).padStart(3, '0')}${String(++serial).padStart(5, '0')}`;

/**
 * One refund request ID sent at once for two different refunds (another amount, another payment) — what a
 * replaying or careless client does: one refund is made, the other request is refused with
 * STN_ERR_REFUND_REQUEST_REUSED; never answered as "replayed" with a refund it did not ask for, never a 500.
 */
for (const dialect of DIALECTS) {
  describe(`${dialect}: one refund request ID for two refunds at once`, () => {
    let h: Harness;
    let pg: TestPaygate;
    let photo = '';
    const { monitor, paidByQr } = cpcExitSteps({
      h: () => h,
      cpcId: nextCpcId,
      photo: () => photo,
      code: () => pg.code(),
    });

    beforeAll(async () => {
      ({ pg, h, photo } = await startPaygateWorld(dialect));
    });
    afterAll(async () => {
      await h?.close();
      await pg?.close();
    });

    const answer = (r: { statusCode: number; json(): Json }) =>
      r.statusCode < 300 ? `${r.statusCode}` : `${r.statusCode} ${r.json().code as string}`;

    it('another amount of the same payment: one refund, the other STN_ERR_REFUND_REQUEST_REUSED', async () => {
      const paid = await paidByQr();
      const refundRequestId = `TEST-race-a-${process.pid}-${dialect}`;
      const rs = await Promise.all(
        [100, 200].map((amountFen) =>
          monitor('POST', `/payments/${paid.payId}/refunds`, {
            amountFen,
            reason: '重复扣款退回 (TEST)',
            refundRequestId,
          }),
        ),
      );
      expect(rs.map(answer).sort()).toEqual(['201', '409 STN_ERR_REFUND_REQUEST_REUSED']);
    });

    it('two payments under one request ID: one refund, the other STN_ERR_REFUND_REQUEST_REUSED', async () => {
      const one = await paidByQr();
      const two = await paidByQr();
      const refundRequestId = `TEST-race-b-${process.pid}-${dialect}`;
      const rs = await Promise.all(
        [one, two].map((p) =>
          monitor('POST', `/payments/${p.payId}/refunds`, {
            amountFen: 100,
            reason: '重复扣款退回 (TEST)',
            refundRequestId,
          }),
        ),
      );
      expect(rs.map(answer).sort()).toEqual(['201', '409 STN_ERR_REFUND_REQUEST_REUSED']);
      const rows = await h.station.services.db.db
        .selectFrom('refunds')
        .selectAll()
        .where('request_id', '=', refundRequestId)
        .execute();
      expect(rows).toHaveLength(1);
    });
  });
}
