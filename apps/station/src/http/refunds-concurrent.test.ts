import type { PollSchedule } from '@tollpad/payment';
import { lookupMinFee } from '@tollpad/tariff';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paygatePort } from '../ports/paygate-port';
import { type Harness, startHarness } from '../testing/harness';
import { startTestPaygate, type TestPaygate } from '../testing/paygate';
import { TEST_PNG } from '../testing/sim-handheld';
import { testCpcRead } from '../testing/test-cpc';
import { DIALECTS } from '../testing/test-db';
import { configureWorld, TEST_WORLD, testReference } from '../testing/world';

type Json = Record<string, unknown>;

const HOUR = 3600_000;
const minFee = (() => {
  const r = lookupMinFee(testReference().tariff.tables, TEST_WORLD.entryStationHex, TEST_WORLD.stationId, 1);
  if (!r.ok || !r.value.reachable) throw new Error('TEST tariff: no min fee');
  return r.value.fee;
})();
const FAST: PollSchedule = {
  firstDelaysMs: [200],
  thenEveryMs: 200,
  deadlineMs: 30_000,
  resolveQueries: 3,
  resolveEveryMs: 200,
};
let serial = 0;

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
    const as = (token: string) => (method: 'GET' | 'POST', url: string, body?: unknown) =>
      h.call(method, url, { token, ...(body === undefined ? {} : { body }) });

    async function paidByQr(): Promise<{ payId: string }> {
      const collector = as(h.tokens.collector);
      serial += 1;
      const now = h.clock.now.getTime();
      const cpc = testCpcRead({
        cpcId: `3700CAFE${String(process.pid % 1000).padStart(3, '0')}${String(serial).padStart(5, '0')}`,
        entryTime: new Date(now - 2 * HOUR),
        gantries: [{ hex: '000001', time: new Date(now - HOUR), fee: minFee }],
      });
      const id = (await collector('POST', '/exits', { laneId: TEST_WORLD.laneId, cpc })).json().id as string;
      await collector('POST', `/exits/${id}/image`, {
        plate: '鲁A12345',
        plateColour: 0,
        photoSha256: photo,
      });
      const fee = (await collector('POST', `/exits/${id}/fee`, { vehicleClass: 1, vehicleKind: 0 })).json();
      if ((fee.authorisation as Json).status === 'required')
        await as(h.tokens.monitor)('POST', `/exits/${id}/authorisation`, { approve: true, reason: 'TEST' });
      const amount = (fee.fee as Json).fee as number;
      const intent = await collector('POST', `/exits/${id}/debit-intent`, {
        payment: 'qr',
        amount,
        mode: 'code',
        authCode: pg.code(),
      });
      expect(intent.statusCode, intent.body).toBe(200);
      let s = (await collector('GET', `/exits/${id}/payment?waitMs=0`)).json();
      for (let i = 0; i < 60 && !s.final; i++)
        s = (await collector('GET', `/exits/${id}/payment?waitMs=2000&since=${s.version as number}`)).json();
      expect(s.phase).toBe('succeeded');
      const tradeId = intent.json().tradeId as string;
      const c = await collector('POST', `/exits/${id}/commit`, { tradeId, cardWrite: 'written' });
      expect(c.statusCode, c.body).toBe(201);
      return { payId: s.payId as string };
    }

    beforeAll(async () => {
      pg = await startTestPaygate();
      h = await startHarness(dialect, {}, { paymentPort: paygatePort(pg.port), paymentSchedule: FAST });
      await configureWorld(h);
      const img = await h.call('POST', '/images', {
        token: h.tokens.collector,
        body: TEST_PNG,
        headers: { 'content-type': 'image/png' },
      });
      photo = img.json().sha256 as string;
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
          as(h.tokens.monitor)('POST', `/payments/${paid.payId}/refunds`, {
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
          as(h.tokens.monitor)('POST', `/payments/${p.payId}/refunds`, {
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
