import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../testing/harness';
import { collectorHandheld, plainVehicle } from '../testing/plain-vehicle';
import { DIALECTS } from '../testing/test-db';
import { configureWorld, TEST_WORLD } from '../testing/world';
import { dispatchCommitted, startCentreLinks, startLaneLinks } from './integrations';
import { loadIntegrationsConfig } from './integrations-config';

/** A stub centre: refuses or acknowledges records on demand; nothing else is published. */
async function stubCentre() {
  const state = { refuse: true, posts: [] as string[] };
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.method === 'POST' && req.url === '/records') {
        const key = String(req.headers['idempotency-key']);
        state.posts.push(key);
        if (state.refuse) {
          res.writeHead(422, { 'content-type': 'application/json' });
          res.end(
            JSON.stringify({ code: 'CTR_ERR_RECORD_TAC_MISMATCH', message: 'TAC校验失败', detail: 'TEST' }),
          );
        } else {
          res.writeHead(201, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ tradeId: key, tacStatus: 'verified' }));
        }
        return;
      }
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"code":"CTR_ERR_REQ_NOT_FOUND"}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    state,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** The TEST tariff's minimum ETC fee from the TEST entry station: an OBU total that needs no authorisation. */
for (const dialect of DIALECTS) {
  describe(`${dialect}: station links (outbox relay, sync, lane linkage) wired into the app`, () => {
    let h: Harness;
    let centre: Awaited<ReturnType<typeof stubCentre>>;
    let stop: () => Promise<void>;

    beforeAll(async () => {
      h = await startHarness(dialect);
      centre = await stubCentre();
      const s = h.station.services;
      // The station must be known before linkage starts; routes must be added before the first request.
      await s.config.putStation(
        { stationId: TEST_WORLD.stationId, stationHex: TEST_WORLD.stationHex, name: TEST_WORLD.stationName },
        'test-setup',
      );
      const cfg = loadIntegrationsConfig({
        CENTRE_URL: centre.url,
        OUTBOX_POLL_MS: '50',
        SYNC_FIRST_TIMEOUT_MS: '500',
        MQTT_URL: process.env.TOLLPAD_TEST_MQTT_URL ?? 'mqtt://127.0.0.1:1883',
        TOPIC_ROOT: `test-${randomBytes(4).toString('hex')}/tollpad`,
      });
      const ports = {
        app: h.station.app,
        services: s,
        registry: h.station.metrics.registry,
        log: h.station.app.log,
      };
      const links = await startCentreLinks(ports, cfg);
      const linkage = await startLaneLinks(ports, cfg);
      h.station.onRecordCommitted((row, replayed) =>
        dispatchCommitted({ relay: links.relay, linkage }, row, replayed),
      );
      stop = async () => {
        await links.sync?.stop();
        await links.relay?.stop();
        await linkage?.stop();
      };
      await configureWorld(h);
    });
    afterAll(async () => {
      await stop?.();
      await h?.close();
      await centre?.close();
    });

    it('every new route declares who may call it', async () => {
      const routes: [string, string, 'collector' | 'monitor' | 'admin'][] = [
        ['GET', '/outbox', 'monitor'],
        ['POST', `/outbox/${TEST_WORLD.laneId}2026112308000001/retry`, 'admin'],
        ['GET', '/sync/status', 'collector'],
        ['POST', '/sync/run', 'admin'],
        ['GET', '/linkage/lanes', 'collector'],
        ['GET', `/linkage/lanes/${TEST_WORLD.laneId}/vehicle`, 'collector'],
      ];
      for (const [method, url, least] of routes) {
        expect((await h.call(method as 'GET', url)).statusCode, `${method} ${url}`).toBe(401);
        if (least !== 'collector') {
          const r = await h.call(method as 'GET', url, { token: h.tokens.collector });
          expect(r.statusCode, `${method} ${url} as collector`).toBe(403);
        }
      }
    });

    it('a refused record is marked rejected, audited and shown; sent again it is acknowledged', async () => {
      const hh = collectorHandheld(h);
      const r = await hh.runExit(
        plainVehicle(h, 4242, { entryTime: new Date(h.clock.now.getTime() - 3600_000) }),
      );
      const outbox = async () => (await h.call('GET', '/outbox', { token: h.tokens.monitor })).json();
      for (let i = 0; i < 300 && (await outbox()).rejected.length === 0; i++)
        await new Promise((x) => setTimeout(x, 50));
      const o = await outbox();
      expect(o.backlog).toBe(0);
      expect(o.rejected).toEqual([
        expect.objectContaining({ tradeId: r.tradeId, code: 'CTR_ERR_RECORD_TAC_MISMATCH', attempts: 1 }),
      ]);
      const metrics = (await h.call('GET', '/metrics')).body;
      expect(metrics).toContain('tollpad_station_outbox_rejected{code="CTR_ERR_RECORD_TAC_MISMATCH"} 1');
      const audit = (await h.call('GET', '/audit?limit=50', { token: h.tokens.admin })).json();
      const entries = (Array.isArray(audit) ? audit : audit.entries) as { action: string; target: string }[];
      expect(entries.some((e) => e.action === 'outbox.rejected' && e.target === r.tradeId)).toBe(true);

      centre.state.refuse = false;
      const retry = await h.call('POST', `/outbox/${r.tradeId}/retry`, { token: h.tokens.admin });
      expect(retry.statusCode).toBe(200);
      for (let i = 0; i < 300 && centre.state.posts.length < 2; i++)
        await new Promise((x) => setTimeout(x, 50));
      for (let i = 0; i < 300 && (await outbox()).rejected.length > 0; i++)
        await new Promise((x) => setTimeout(x, 50));
      expect((await outbox()).rejected).toEqual([]);
      expect(centre.state.posts).toEqual([r.tradeId, r.tradeId]);
      expect((await h.call('POST', `/outbox/${r.tradeId}/retry`, { token: h.tokens.admin })).statusCode).toBe(
        404,
      );
    });

    it('shows linked lanes UNKNOWN while no lane controller is heard; the barrier is not opened blind', async () => {
      const r = await h.call('GET', '/linkage/lanes', { token: h.tokens.monitor });
      expect(r.statusCode).toBe(200);
      const lane = r.json().lanes.find((l: { laneId: string }) => l.laneId === TEST_WORLD.laneId);
      expect(lane).toMatchObject({ link: 'never', monitorState: 'UNKNOWN', handheldEnabled: true });
      expect(lane.lastCommand).toMatchObject({ outcome: 'failed', code: 'LANE_LINK_DOWN' });
      const v = await h.call('GET', `/linkage/lanes/${TEST_WORLD.laneId}/vehicle`, {
        token: h.tokens.collector,
      });
      expect(v.json()).toEqual({ laneId: TEST_WORLD.laneId, vehicle: null });
    });

    it('reports the centre sync state to the monitor', async () => {
      const r = (await h.call('GET', '/sync/status', { token: h.tokens.monitor })).json();
      expect(r.inForce.tariff).toBe(h.station.services.reference.versions().tariff.version);
      expect(r.tariff.error).toMatchObject({ code: 'SYNC_CENTRE_HTTP' });
      expect(r.lastSuccessAt).toBeNull();
    });
  });
}
