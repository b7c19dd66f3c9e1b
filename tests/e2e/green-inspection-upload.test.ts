import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_PEER_HEADER } from '../../apps/centre/src/http/peer';
import {
  type Harness as CentreHarness,
  startHarness as startCentre,
} from '../../apps/centre/src/testing/harness';
import { createCentreUploader } from '../../apps/station/src/outbox/centre-uploader';
import { type OutboxRelay, startOutboxRelay } from '../../apps/station/src/outbox/outbox-relay';
import { type Harness, startHarness } from '../../apps/station/src/testing/harness';
import { uploadLoadPhotos } from '../../apps/station/src/testing/load-photos';
import { testCpcRead } from '../../apps/station/src/testing/test-cpc';
import { DIALECTS } from '../../apps/station/src/testing/test-db';
import { configureWorld, TEST_WORLD, testReference } from '../../apps/station/src/testing/world';

type Json = Record<string, unknown>;
const HOUR = 3600_000;
// TEST plates (SYNTHETIC): one with an appointment, one without.
const APPOINTED = '鲁B6T201';
const UNLISTED = '鲁B6T202';

/**
 * 绿通查验 from the station to a real centre: the station's own outbox relay uploads each record and, right behind
 * it, its inspection; the centre links them, and answers that every green-channel pass has its inspection.
 */
for (const dialect of DIALECTS) {
  describe(`${dialect}: 绿通查验 uploaded beside its record to a real centre`, () => {
    let centre: CentreHarness;
    let h: Harness;
    let relay: OutboxRelay;
    let asStation: typeof fetch;
    let centreUrl: string;
    let serial = 0;

    beforeAll(async () => {
      centre = await startCentre(dialect);
      centreUrl = await centre.centre.app.listen({ port: 0, host: '127.0.0.1' });
      asStation = (url, init) =>
        fetch(url, {
          ...init,
          headers: { ...(init?.headers ?? {}), [TEST_PEER_HEADER]: TEST_WORLD.stationId },
        });
      h = await startHarness(
        dialect,
        {},
        {
          reference: testReference({
            green: { version: 'TEST-GREEN-1', entries: [{ key: `${APPOINTED}_1`, type: 1 }] },
            'green-ban': { version: 'TEST-GBAN-1', entries: [] },
          }),
        },
      );
      await configureWorld(h);
      relay = await startOutboxRelay({
        db: h.station.services.db.db,
        upload: createCentreUploader({ centreUrl, timeoutMs: 5_000, fetch: asStation }),
        pollMs: 100,
        holdForPendingMs: 0,
      });
    });
    afterAll(async () => {
      await relay?.stop();
      await h?.close();
      await centre?.close();
    });

    const call = (method: 'GET' | 'POST', url: string, body?: unknown) =>
      h.call(method, url, { token: h.tokens.collector, ...(body === undefined ? {} : { body }) });

    /** A CPC green truck inspected (`verdict`) and paid or passed free: its trade ID. */
    async function exit(plate: string, verdict: 'pass' | 'fail'): Promise<string> {
      serial += 1;
      const now = h.clock.now.getTime();
      const read = testCpcRead({
        cpcId: `3700FFED${String(serial).padStart(8, '0')}`,
        entryTime: new Date(now - 2 * HOUR),
        gantries: [{ hex: '000001', time: new Date(now - HOUR), fee: 1000 }],
      });
      const id = (await call('POST', '/exits', { laneId: TEST_WORLD.laneId, cpc: read })).json().id as string;
      const [photo, ...load] = await uploadLoadPhotos(h, 4, serial);
      await call('POST', `/exits/${id}/image`, { plate, plateColour: 1, photoSha256: photo });
      const r = await call('POST', `/exits/${id}/green-inspection`, {
        cargo: ['M02'],
        result: verdict,
        photos: load,
      });
      expect(r.statusCode, r.body).toBe(201);
      const priced = await call('POST', `/exits/${id}/fee`, {
        vehicleClass: 1,
        vehicleKind: verdict === 'pass' ? 21 : 0,
      });
      expect(priced.statusCode, priced.body).toBe(200);
      if ((priced.json().authorisation as Json).status === 'required')
        await h.call('POST', `/exits/${id}/authorisation`, {
          token: h.tokens.monitor,
          body: { approve: true, reason: '绿通核实 (TEST)' },
        });
      const fee = (priced.json().fee as Json).fee as number;
      const intent = await call(
        'POST',
        `/exits/${id}/debit-intent`,
        fee === 0 ? { payment: 'free', amount: 0 } : { payment: 'cash', amount: fee },
      );
      expect(intent.statusCode, intent.body).toBe(200);
      const tradeId = intent.json().tradeId as string;
      const commit = await call('POST', `/exits/${id}/commit`, { tradeId, cardWrite: 'written' });
      expect(commit.statusCode, commit.body).toBe(201);
      return tradeId;
    }

    async function atCentre(tradeId: string): Promise<Json> {
      for (let i = 0; i < 100; i++) {
        const r = await asStation(`${centreUrl}/records/${tradeId}/green-inspection`);
        if (r.status === 200) return (await r.json()) as Json;
        await new Promise((ok) => setTimeout(ok, 100));
      }
      throw new Error(`no inspection of ${tradeId} at the centre`);
    }

    it('a pass and a fail: each record and its inspection at the centre, linked; no pass without one', async () => {
      const pass = await exit(APPOINTED, 'pass');
      const fail = await exit(UNLISTED, 'fail');
      const p = await atCentre(pass);
      const f = await atCentre(fail);
      expect(p).toMatchObject({ tradeId: pass, result: 'pass', passed: true, appointment: { type: 1 } });
      expect(f).toMatchObject({ tradeId: fail, result: 'fail', passed: false, appointment: null });
      const record = (await (await asStation(`${centreUrl}/records/${pass}`)).json()) as Json;
      expect(JSON.stringify(record)).toContain(`"greenInspectionId":"${p.id as string}"`);
      const day = pass.slice(21, 29);
      const open = await asStation(`${centreUrl}/green-channel/uninspected?from=${day}&to=${day}`);
      expect(((await open.json()) as { uninspected: unknown[] }).uninspected).toEqual([]);
      // Every row went: the record first, its inspection right behind it (lane order), nothing refused.
      const rows = await h.station.services.db.db
        .selectFrom('outbox')
        .select(['topic', 'idempotency_key', 'status'])
        .orderBy('idempotency_key')
        .execute();
      expect(rows.map((r) => [r.topic, r.idempotency_key, r.status])).toEqual([
        ['exit-record', pass, 'acked'],
        ['green-inspection', `${pass}-G`, 'acked'],
        ['exit-record', fail, 'acked'],
        ['green-inspection', `${fail}-G`, 'acked'],
      ]);
    }, 60_000);
  });
}
