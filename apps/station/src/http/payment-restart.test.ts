import type { PollSchedule } from '@tollpad/payment';
import { lookupMinFee } from '@tollpad/tariff';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config';
import { paygatePort } from '../ports/paygate-port';
import { TEST_KDF } from '../services/password';
import { createStation, type Station } from '../station';
import { type Harness, startHarness } from '../testing/harness';
import { startTestPaygate, type TestPaygate } from '../testing/paygate';
import { TEST_PNG } from '../testing/sim-handheld';
import { testCpcRead } from '../testing/test-cpc';
import { DIALECTS } from '../testing/test-db';
import { configureWorld, TEST_WORLD, testReference } from '../testing/world';

type Json = Record<string, unknown>;
const HOUR = 3600_000;
const FAST: PollSchedule = {
  firstDelaysMs: [300],
  thenEveryMs: 300,
  deadlineMs: 30_000,
  resolveQueries: 3,
  resolveEveryMs: 200,
};
const minFee = (() => {
  const r = lookupMinFee(testReference().tariff.tables, TEST_WORLD.entryStationHex, TEST_WORLD.stationId, 1);
  if (!r.ok || !r.value.reachable) throw new Error('TEST tariff: no min fee');
  return r.value.fee;
})();

/**
 * The station stops while the driver is typing the payment password and starts again on the same database:
 * the new process resumes the attempt from its outbox row before it takes a request, the payment resolves,
 * and the exit commits with one record for the one capture.
 */
for (const dialect of DIALECTS) {
  describe(`${dialect}: a station restarted mid-payment resumes and resolves it`, () => {
    let h: Harness;
    let pg: TestPaygate;
    let again: Station | undefined;

    beforeAll(async () => {
      pg = await startTestPaygate();
      h = await startHarness(dialect, {}, { paymentPort: paygatePort(pg.port), paymentSchedule: FAST });
      await configureWorld(h);
    });
    afterAll(async () => {
      await again?.close();
      await h?.db.drop();
      await pg?.close();
    });

    it('password wait, restart, paid once, one record', async () => {
      const call = (s: Station, method: 'GET' | 'POST', url: string, body?: unknown) =>
        s.app.inject({
          method,
          url,
          headers: { authorization: `Bearer ${h.tokens.collector}` },
          ...(body === undefined ? {} : { payload: body as object }),
        });
      const photo = (
        await h.call('POST', '/images', {
          token: h.tokens.collector,
          body: TEST_PNG,
          headers: { 'content-type': 'image/png' },
        })
      ).json().sha256 as string;
      const now = h.clock.now.getTime();
      const read = testCpcRead({
        cpcId: '3700DDDD00000001',
        entryTime: new Date(now - 2 * HOUR),
        gantries: [{ hex: '000001', time: new Date(now - HOUR), fee: minFee }],
      });
      const id = (await call(h.station, 'POST', '/exits', { laneId: TEST_WORLD.laneId, cpc: read })).json()
        .id as string;
      await call(h.station, 'POST', `/exits/${id}/image`, {
        plate: '鲁A12345',
        plateColour: 0,
        photoSha256: photo,
      });
      const fee = (
        await call(h.station, 'POST', `/exits/${id}/fee`, { vehicleClass: 1, vehicleKind: 0 })
      ).json();
      const amount = (fee.fee as Json).fee as number;
      const code = pg.code();
      await pg.fault({ kind: 'password', authCode: code, polls: 3, outcome: 'paid' });
      const intent = await call(h.station, 'POST', `/exits/${id}/debit-intent`, {
        payment: 'qr',
        amount,
        mode: 'code',
        authCode: code,
      });
      expect(intent.statusCode, intent.body).toBe(200);
      const tradeId = intent.json().tradeId as string;
      let s = (await call(h.station, 'GET', `/exits/${id}/payment?waitMs=0`)).json() as Json;
      while (s.phase !== 'user-paying' && !s.final)
        s = (
          await call(h.station, 'GET', `/exits/${id}/payment?waitMs=2000&since=${s.version as number}`)
        ).json();
      expect(s.phase).toBe('user-paying');

      await h.station.close(); // the station stops; the database stays
      again = await createStation({
        config: { ...loadConfig({}), databaseUrl: h.db.databaseUrl, dataDir: h.db.dataDir },
        kdf: TEST_KDF,
        logger: false,
        now: () => h.clock.now,
        reference: testReference(),
        paymentPort: paygatePort(pg.port),
        paymentSchedule: FAST,
      });
      const restarted = again;
      s = (await call(restarted, 'GET', `/exits/${id}/payment?waitMs=0`)).json() as Json;
      for (let i = 0; i < 60 && !s.final; i++)
        s = (
          await call(restarted, 'GET', `/exits/${id}/payment?waitMs=2000&since=${s.version as number}`)
        ).json();
      expect(s).toMatchObject({ phase: 'succeeded', final: true });
      const commit = await call(restarted, 'POST', `/exits/${id}/commit`, { tradeId, cardWrite: 'written' });
      expect(commit.statusCode, commit.body).toBe(201);
      const orders = (await pg.h.signed('GET', `/v1/orders?payId=${s.payId as string}`)).json()
        .orders as Json[];
      expect(orders.map((o) => o.state)).toEqual(['SUCCESS']);
      const records = await restarted.services.db.db
        .selectFrom('exit_records')
        .select('trade_id')
        .where('txn_id', '=', id)
        .execute();
      expect(records).toEqual([{ trade_id: tradeId }]);
    });
  });
}
