import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_PEER_HEADER } from '../../apps/centre/src/http/peer';
import {
  type Harness as CentreHarness,
  startHarness as startCentre,
} from '../../apps/centre/src/testing/harness';
import { createCentreUploader } from '../../apps/station/src/outbox/centre-uploader';
import { centreArrears } from '../../apps/station/src/ports/centre-arrears';
import { paygatePort } from '../../apps/station/src/ports/paygate-port';
import { FAST_POLLS } from '../../apps/station/src/testing/cpc-payment-rig';
import {
  type Harness,
  startHarness,
  TEST_PASSWORD,
  TEST_USERS,
} from '../../apps/station/src/testing/harness';
import { OTHER_TERMINAL, otherCollector } from '../../apps/station/src/testing/other-collector';
import { startTestPaygate, type TestPaygate } from '../../apps/station/src/testing/paygate';
import { DIALECTS } from '../../apps/station/src/testing/test-db';
import { configureWorld, TEST_WORLD } from '../../apps/station/src/testing/world';

/** The training plates' TEST arrears at a seeded centre (packages/card training-arrears.ts). */
const BLACK = '鲁A11801';
const GREY = '鲁A12701';

type Json = Record<string, unknown>;

for (const dialect of DIALECTS) {
  describe(`${dialect}: 补缴 — a payback through the station, cleared at the centre`, () => {
    let centre: CentreHarness;
    let centreUrl: string;
    let asStation: typeof fetch;
    let pg: TestPaygate;
    let h: Harness;
    let other: { token: string; accountId: string };

    beforeAll(async () => {
      centre = await startCentre(dialect);
      centreUrl = await centre.centre.app.listen({ port: 0, host: '127.0.0.1' });
      const stationId = (await centre.centre.services.tariffs.activeAt()).network.stations[1]!.id;
      asStation = (url, init) =>
        fetch(url, { ...init, headers: { ...(init?.headers ?? {}), [TEST_PEER_HEADER]: stationId } });
      pg = await startTestPaygate();
      h = await startHarness(
        dialect,
        {},
        {
          arrears: centreArrears(centreUrl, undefined, asStation),
          paymentPort: paygatePort(pg.port),
          paymentSchedule: FAST_POLLS,
        },
      );
      await configureWorld(h);
      other = await otherCollector(h);
    });
    afterAll(async () => {
      await h?.close();
      await pg?.close();
      await centre?.close();
    });

    const as = (token: string) => (method: 'GET' | 'POST', url: string, body?: unknown) =>
      h.call(method, url, { token, ...(body === undefined ? {} : { body }) });
    const collector = (m: 'GET' | 'POST', url: string, body?: unknown) =>
      as(h.tokens.collector)(m, url, body);

    async function owed(plate: string): Promise<{ ids: string[]; total: number }> {
      const res = await collector('GET', `/arrears/${encodeURIComponent(plate)}?colour=0`);
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json();
      return { ids: body.entries.map((e: { id: string }) => e.id), total: body.total };
    }

    async function opened(plate: string, o: { ids: string[]; total: number }, send = collector) {
      const res = await send('POST', '/arrears-paybacks', {
        laneId: TEST_WORLD.laneId,
        plate,
        colour: 0,
        entryIds: o.ids,
        amount: o.total,
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json() as Json;
    }

    /** Uploads the payback's outbox row to the centre as the relay would (topic → /arrears-paybacks). */
    async function upload(tradeId: string) {
      const row = await h.station.services.db.db
        .selectFrom('outbox')
        .selectAll()
        .where('idempotency_key', '=', tradeId)
        .executeTakeFirstOrThrow();
      expect(row.topic).toBe('arrears-payback');
      const up = createCentreUploader({ centreUrl, timeoutMs: 5_000, fetch: asStation });
      const outcome = await up(row.idempotency_key, row.payload, row.topic);
      await h.station.services.db.db
        .updateTable('outbox')
        .set(
          outcome.kind === 'rejected'
            ? { status: 'rejected', reject_code: outcome.code }
            : { status: outcome.kind === 'acked' ? 'acked' : 'pending' },
        )
        .where('id', '=', row.id)
        .execute();
      return outcome;
    }

    it('refuses an amount that is not the sum owed, and an entry the centre does not hold open', async () => {
      const o = await owed(BLACK);
      const res = await collector('POST', '/arrears-paybacks', {
        laneId: TEST_WORLD.laneId,
        plate: BLACK,
        colour: 0,
        entryIds: o.ids,
        amount: o.total - 1,
      });
      expect(res.statusCode).toBe(422);
      expect(res.json().code).toBe('STN_ERR_ARREARS_AMOUNT_MISMATCH');
      const unknown = await collector('POST', '/arrears-paybacks', {
        laneId: TEST_WORLD.laneId,
        plate: BLACK,
        colour: 0,
        entryIds: ['arrears-nonesuch'],
        amount: 100,
      });
      expect(unknown.statusCode).toBe(409);
      expect(unknown.json().code).toBe('STN_ERR_ARREARS_ENTRY_NOT_OPEN');
    });

    it('refuses a stranger and another collector', async () => {
      const o = await owed(GREY);
      const p = await opened(GREY, o);
      const none = await h.call('GET', `/arrears-paybacks/${p.id as string}`, {});
      expect(none.statusCode).toBe(401);
      // Another collector (another handheld and shift), and A's own account from another handheld.
      const elsewhere = (
        await h.station.services.auth.login(TEST_USERS.collector, TEST_PASSWORD, OTHER_TERMINAL.id)
      ).token;
      const id = p.id as string;
      const probes: [string, string, unknown][] = [
        ['GET', `/arrears-paybacks/${id}`, undefined],
        ['POST', `/arrears-paybacks/${id}/payment`, { payment: 'cash', amount: o.total }],
        ['POST', `/arrears-paybacks/${id}/commit`, { tradeId: `${TEST_WORLD.laneId}2026112300000001` }],
        ['POST', `/arrears-paybacks/${id}/recover`, { outcome: 'not-debited' }],
        ['POST', `/arrears-paybacks/${id}/cancel`, { reason: 'TEST' }],
      ];
      for (const token of [other.token, elsewhere])
        for (const [m, url, body] of probes) {
          const res = await as(token)(m as 'GET' | 'POST', url, body);
          expect([res.statusCode, res.json().code], `${m} ${url}`).toEqual([403, 'STN_ERR_EXIT_NOT_YOURS']);
        }
      expect((await collector('GET', `/arrears-paybacks/${id}`)).json().state).toBe('priced');
      const cancel = await collector('POST', `/arrears-paybacks/${p.id as string}/cancel`, {
        reason: 'TEST',
      });
      expect(cancel.json().state).toBe('cancelled');
    });

    it('two handhelds racing the same entries: one payment, the other refused before any money moves', async () => {
      const o = await owed(GREY);
      const a = await opened(GREY, o);
      const b = await opened(GREY, o, as(other.token));
      const [ra, rb] = await Promise.all([
        collector('POST', `/arrears-paybacks/${a.id as string}/payment`, {
          payment: 'cash',
          amount: o.total,
        }),
        as(other.token)('POST', `/arrears-paybacks/${b.id as string}/payment`, {
          payment: 'cash',
          amount: o.total,
        }),
      ]);
      const codes = [ra.statusCode, rb.statusCode].sort();
      expect(codes).toEqual([200, 409]);
      expect([ra, rb].find((r) => r.statusCode === 409)?.json().code).toBe('STN_ERR_ARREARS_CLAIMED');
      // The winner's answer is lost; it was not paid after all: the claims are given back.
      const [winner, send] = ra.statusCode === 200 ? [a, collector] : [b, as(other.token)];
      const back = await send('POST', `/arrears-paybacks/${winner.id as string}/recover`, {
        outcome: 'not-debited',
      });
      expect(back.statusCode, back.body).toBe(200);
      expect(back.json().state).toBe('priced');
      const again = await opened(GREY, o);
      await collector('POST', `/arrears-paybacks/${again.id as string}/cancel`, { reason: 'TEST' });
      await send('POST', `/arrears-paybacks/${winner.id as string}/cancel`, { reason: 'TEST' });
    });

    it('a QR payback: paid, the answer lost, recovered by its proof; the record cleared at the centre once', async () => {
      const o = await owed(BLACK);
      expect(o.total).toBe(4_830);
      const p = await opened(BLACK, o);
      const id = p.id as string;
      const paid = await collector('POST', `/arrears-paybacks/${id}/payment`, {
        payment: 'qr',
        amount: o.total,
        mode: 'code',
        authCode: pg.code(),
      });
      expect(paid.statusCode, paid.body).toBe(200);
      const tradeId = paid.json().tradeId as string;
      // The same intent retried: the same trade ID (the pay ID minted once).
      let s = (await collector('GET', `/exits/${id}/payment?waitMs=0`)).json() as Json;
      for (let i = 0; i < 60 && !s.final; i++)
        s = (await collector('GET', `/exits/${id}/payment?waitMs=2000&since=${s.version as number}`)).json();
      expect(s.phase).toBe('succeeded');
      const rec = await collector('POST', `/arrears-paybacks/${id}/recover`, {
        outcome: 'debited',
        commit: { tradeId },
      });
      expect(rec.statusCode, rec.body).toBe(200);
      const view = rec.json();
      expect(view.state).toBe('committed');
      expect(view.record).toMatchObject({ id: tradeId, paybackFee: 4_830, vehicleId: `${BLACK}_0` });
      expect(view.record.payType).not.toBe(1);
      // A replayed commit answers the same record.
      const replay = await collector('POST', `/arrears-paybacks/${id}/commit`, { tradeId });
      expect(replay.statusCode).toBe(200);
      expect((await upload(tradeId)).kind).toBe('acked');
      expect((await collector('GET', `/arrears-paybacks/${id}`)).json().upload).toBe('acked');
      h.station.services.arrears.forget(`${BLACK}_0`);
      expect((await owed(BLACK)).ids).toEqual([]);
      // Never a toll: the shift's exit records do not hold it.
      const tolls = await h.station.services.db.db
        .selectFrom('exit_records')
        .select('kind')
        .where('trade_id', '=', tradeId)
        .executeTakeFirstOrThrow();
      expect(tolls.kind).toBe('arrears-payback');
    });

    it('cash for entries the centre cleared meanwhile: the record is kept and parked as a conflict', async () => {
      const o = await owed(GREY);
      const p = await opened(GREY, o);
      const id = p.id as string;
      const paid = await collector('POST', `/arrears-paybacks/${id}/payment`, {
        payment: 'cash',
        amount: o.total,
      });
      expect(paid.statusCode, paid.body).toBe(200);
      const tradeId = paid.json().tradeId as string;
      // The cash is reported like an exit's: complete when announced, with what was tendered.
      expect((await collector('GET', `/arrears-paybacks/${id}`)).json().payment).toMatchObject({
        method: 'cash',
        amount: o.total,
      });
      // Another station's payback of the same entries reaches the centre first.
      const first = await asStation(`${centreUrl}/arrears-paybacks`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'idempotency-key': `${tradeId.slice(0, 21)}9${tradeId.slice(22)}`,
        },
        body: JSON.stringify({
          id: `${tradeId.slice(0, 21)}9${tradeId.slice(22)}`,
          vehicleId: `${GREY}_0`,
          entryIds: o.ids,
          paybackFee: o.total,
          payType: 1,
          exTollStationId: TEST_WORLD.laneId.slice(0, 14),
          laneId: TEST_WORLD.laneId,
          payTime: new Date().toISOString(),
          operId: 'TEST',
          shiftId: 'TEST',
        }),
      });
      expect(first.status, await first.text()).toBe(201);
      const c = await collector('POST', `/arrears-paybacks/${id}/commit`, { tradeId });
      expect(c.statusCode, c.body).toBe(201);
      const out = await upload(tradeId);
      expect(out).toMatchObject({ kind: 'rejected', code: 'CTR_ERR_ARREARS_ALREADY_CLEARED' });
      const view = (await collector('GET', `/arrears-paybacks/${id}`)).json();
      expect(view).toMatchObject({
        state: 'committed',
        upload: 'conflict',
        uploadCode: 'CTR_ERR_ARREARS_ALREADY_CLEARED',
      });
      expect(view.record.paybackFee).toBe(o.total);
    });
  });
}
