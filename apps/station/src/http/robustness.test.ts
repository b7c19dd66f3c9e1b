import { lookupMinFee } from '@tollpad/tariff';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness, TEST_PASSWORD } from '../testing/harness';
import { collectorHandheld } from '../testing/plain-vehicle';
import type { SimHandheld, VehicleSpec } from '../testing/sim-handheld';
import { queuedUploads, storedRecords } from '../testing/stored-rows';
import { DIALECTS } from '../testing/test-db';
import { configureWorld, TEST_WORLD, testReference } from '../testing/world';

const fee95 = (() => {
  const r = lookupMinFee(testReference().tariff.tables, TEST_WORLD.entryStationHex, TEST_WORLD.stationId, 1);
  if (!r.ok || !r.value.reachable) throw new Error('TEST tariff');
  return r.value.fee95;
})();

for (const dialect of DIALECTS) {
  describe(`${dialect}: bad input, concurrency, rate limit, DB failure`, () => {
    let h: Harness;
    let hh: SimHandheld;
    let serial = 5000;
    const vehicle = (over: Partial<VehicleSpec> = {}): VehicleSpec => ({
      serial: serial++,
      plate: '苏E12345',
      colour: 0,
      vehicleClass: 1,
      cardType: 'account',
      balance: -500,
      entryStationHex: TEST_WORLD.entryStationHex,
      entryTime: new Date(h.clock.now.getTime() - 3600_000),
      obuDiscountTotal: fee95,
      ...over,
    });
    const counts = async () => {
      const db = h.station.services.db.db;
      const n = async (t: 'exit_txns' | 'exit_records' | 'outbox' | 'images' | 'lanes') =>
        Number(
          (
            await db
              .selectFrom(t)
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      return {
        txns: await n('exit_txns'),
        records: await n('exit_records'),
        outbox: await n('outbox'),
        images: await n('images'),
        lanes: await n('lanes'),
      };
    };

    beforeAll(async () => {
      h = await startHarness(dialect);
      await configureWorld(h);
      hh = collectorHandheld(h);
    });
    afterAll(async () => h?.close());

    it('answers a schema violation on every body-validating route with 400 and stores nothing', async () => {
      const before = await counts();
      const failures: string[] = [];
      for (const route of h.station.routeTable.filter((r) => r.hasBody && r.access !== 'public')) {
        const role = route.access === 'public' ? 'admin' : route.access[0]!;
        const url = route.url.replace(/:[A-Za-z0-9]+/g, 'x');
        for (const body of [{ __bogus: true }, [], 'text', { id: { $gt: '' } }]) {
          const r = await h.call(route.method as 'POST', url, {
            token: h.tokens[role],
            body: typeof body === 'string' ? JSON.stringify(body) : body,
            headers: { 'content-type': 'application/json' },
          });
          if (r.statusCode !== 400 || r.json().code !== 'STN_ERR_REQ_INVALID') {
            failures.push(
              `${route.method} ${route.url} ${JSON.stringify(body)} → ${r.statusCode} ${r.body.slice(0, 80)}`,
            );
          }
        }
      }
      expect(failures).toEqual([]);
      expect(await counts()).toEqual(before);
    });

    it('refuses a wrong type in a query string, a wrong card file and a wrong PSAM with stable codes', async () => {
      const q = await h.call('GET', '/records?limit=abc', { token: h.tokens.monitor });
      expect(q.json().code).toBe('STN_ERR_REQ_INVALID');
      const before = await counts();
      const card = await h.call('POST', '/exits', {
        token: h.tokens.collector,
        body: {
          laneId: TEST_WORLD.laneId,
          card: { ef0015: '00'.repeat(50), ef0019: '00'.repeat(43), balance: 0 },
        },
      });
      expect(card.statusCode).toBe(422);
      expect(card.json().code).toBe('STN_ERR_EXIT_CARD_UNREADABLE');
      expect(await counts()).toEqual(before);
      const r = await hh.runExit(vehicle(), { commit: false });
      const wrongPsam = await h.call('POST', `/exits/${r.txnId}/commit`, {
        token: h.tokens.collector,
        body: { ...r.commitBody, psamTerminalNo: '0151000119F9' },
      });
      expect(wrongPsam.json().code).toBe('STN_ERR_EXIT_PSAM_MISMATCH');
      const wrongSum = await h.call('POST', `/exits/${r.txnId}/commit`, {
        token: h.tokens.collector,
        body: { ...r.commitBody, postBalance: r.commitBody.postBalance + 1 },
      });
      expect(wrongSum.json().code).toBe('STN_ERR_EXIT_AMOUNT_MISMATCH');
      expect((await counts()).records).toBe(before.records);
      const ok = await h.call('POST', `/exits/${r.txnId}/commit`, {
        token: h.tokens.collector,
        body: r.commitBody,
      });
      expect(ok.statusCode).toBe(201);
      expect(ok.json().record.postBalance).toBe(-500 - fee95);
    });

    it('keeps one record when two sessions of the terminal commit the same trade ID at once', async () => {
      // A second login on the same handheld (e.g. after an app restart) while the first commit is in flight.
      const other = await h.station.services.auth.login(
        'test-collector',
        TEST_PASSWORD,
        TEST_WORLD.terminalId,
      );
      for (let i = 0; i < 8; i++) {
        const r = await hh.runExit(vehicle(), { commit: false });
        const send = (token: string) =>
          h.call('POST', `/exits/${r.txnId}/commit`, { token, body: r.commitBody });
        const [a, b] = await Promise.all([send(h.tokens.collector), send(other.token)]);
        expect([a.statusCode, b.statusCode].sort()).toEqual([200, 201]);
        expect(a.json().record).toEqual(b.json().record);
        expect(await storedRecords(h, { tradeId: r.tradeId })).toHaveLength(1);
        expect(await queuedUploads(h, r.tradeId)).toHaveLength(1);
      }
    });

    it('answers admin config through the API and keeps a disabled lane out of reach', async () => {
      // The last enabled lane cannot be disabled: 出口2 is enabled first, and switched off again below.
      const other = `/config/lanes/${TEST_WORLD.disabledLaneId}/handheld`;
      await h.call('PUT', other, { token: h.tokens.admin, body: { enabled: true } });
      const off = await h.call('PUT', `/config/lanes/${TEST_WORLD.laneId}/handheld`, {
        token: h.tokens.admin,
        body: { enabled: false },
      });
      expect(off.json().handheldEnabled).toBe(false);
      const enabled = await h.call('GET', '/config/lanes?enabled=true', { token: h.tokens.collector });
      expect(enabled.json().map((l: { id: string }) => l.id)).toEqual([TEST_WORLD.disabledLaneId]);
      await expect(hh.runExit(vehicle())).rejects.toThrow(/STN_ERR_CONFIG_LANE_DISABLED/);
      await h.call('PUT', `/config/lanes/${TEST_WORLD.laneId}/handheld`, {
        token: h.tokens.admin,
        body: { enabled: true },
      });
      await h.call('PUT', other, { token: h.tokens.admin, body: { enabled: false } });
      const badId = await h.call('PUT', '/config/lanes/XYZ', {
        token: h.tokens.admin,
        body: { hex: '3700010201', name: 'x' },
      });
      expect(badId.json().code).toBe('STN_ERR_CONFIG_INVALID_ID');
      const versions = await h.call('GET', '/config/versions', { token: h.tokens.collector });
      expect(versions.json().lists.card).toBe('TEST-CARD-202611230800');
      const audit = await h.call('GET', '/audit?limit=1000', { token: h.tokens.admin });
      expect(audit.json().map((e: { action: string }) => e.action)).toContain('config.lane.enable');
    });
  });

  describe(`${dialect}: rate limit and database failure`, () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness(dialect, { rateLimitPerMinute: 20 });
    });
    afterAll(async () => h?.close());

    it('rate-limits a flood from one session without affecting another', async () => {
      const flood = await Promise.all(
        Array.from({ length: 40 }, () => h.call('GET', '/auth/me', { token: h.tokens.collector })),
      );
      const limited = flood.filter((r) => r.statusCode === 429);
      expect(limited.length).toBe(20);
      expect(limited[0]!.json().code).toBe('STN_ERR_RATE_LIMITED');
      expect(Number(limited[0]!.headers['retry-after'])).toBeGreaterThan(0);
      const other = await h.call('GET', '/auth/me', { token: h.tokens.monitor });
      expect(other.statusCode).toBe(200);
    });

    it('answers 503 with a code when the database is gone', async () => {
      await h.station.services.db.close();
      const r = await h.call('GET', '/auth/me', { token: h.tokens.admin });
      expect(r.statusCode).toBe(503);
      expect(r.json().code).toBe('STN_ERR_DB_UNAVAILABLE');
      expect(r.headers['retry-after']).toBe('1');
    });
  });
}
