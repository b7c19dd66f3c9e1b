import { issueTestVehicleCard, type TrainingVehicleSpec, trainingVehicleSpec } from '@tollpad/card/sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimHandheld } from '../../scripts/sim/handheld';
import { api } from '../../scripts/sim/http';
import type { RunningSystem } from '../../scripts/sim/processes';
import { type Fault, type FaultProxy, startFaultProxy } from './fault-proxy';
import { centreNetwork, DEMO, demoHandheld, hourTrip, startTestSystem, token, until } from './world';

/**
 * Network faults between station and centre, compressed: a fault proxy drops, delays, resets and answers
 * 500 (before and after forwarding) while TEST vehicles exit on two lanes; then a full outage with a
 * station crash (SIGKILL) in the middle; then the link heals. Afterwards every record is at the centre
 * exactly once, in trade-ID order per lane, and the backlog is zero.
 */
const CYCLE: Fault[] = ['reset', '500', 'drop', '500-after', { delayMs: 300 }, 'pass', 'reset', 'pass'];

describe('e2e: store-and-forward through network faults', () => {
  let sys: RunningSystem & { cleanup(): Promise<void> };
  let proxy: FaultProxy;
  let mode: 'chaos' | 'down' | 'up' | 'corrupt-deltas' = 'chaos';
  let recordPosts = 0;

  beforeAll(async () => {
    sys = await startTestSystem({
      centreUrlForStation: async (centreUrl, stationTls) => {
        proxy = await startFaultProxy(
          centreUrl,
          (req) => {
            if (mode === 'up') return 'pass';
            if (mode === 'down') return 'reset';
            if (mode === 'corrupt-deltas')
              return /^\/lists\/card\/deltas\//.test(req.url ?? '') ? 'corrupt' : 'pass';
            // Faults hit the uploads; sync and online fee see the same link in a milder form.
            if (req.url === '/records') return CYCLE[recordPosts++ % CYCLE.length]!;
            return 'pass';
          },
          stationTls,
        );
        return proxy.url;
      },
      stationEnv: {
        OUTBOX_BACKOFF_BASE_MS: '50',
        OUTBOX_BACKOFF_MAX_MS: '400',
        OUTBOX_TIMEOUT_MS: '700',
        OUTBOX_POLL_MS: '200',
        ONLINE_FEE_TIMEOUT_MS: '5000',
      },
    });
  }, 90_000);
  afterAll(async () => {
    await sys?.cleanup();
    await proxy?.close();
  });

  it('delivers every record exactly once, in order per lane, backlog zero', async () => {
    const net = await centreNetwork(sys.centreUrl);
    const admin = await token(sys.stationUrl, DEMO.admin);
    const monitor = await token(sys.stationUrl, DEMO.monitor);
    // A second linked lane, so ordering is checked per lane.
    const lanes = await api<{ id: string }[]>(sys.stationUrl, 'GET', '/config/lanes', { token: admin });
    const laneB = lanes.find((l) => l.id !== sys.laneId)!.id;
    await api(sys.stationUrl, 'PUT', `/config/lanes/${laneB}/handheld`, {
      token: admin,
      body: { enabled: true },
    });

    const car = trainingVehicleSpec('car')!;
    const handheld = (laneId: string) => demoHandheld(sys, laneId);
    const approve = () => token(sys.stationUrl, DEMO.monitor);
    const hhA = await handheld(sys.laneId);
    const hhB = await handheld(laneB);
    const tradeIds: string[] = [];
    let serial = 9_100_000;
    const oneExit = async (hh: SimHandheld) => {
      const v: TrainingVehicleSpec = { ...car, serial: serial++ };
      const bare = issueTestVehicleCard(v, null);
      const plan = hourTrip(net, sys.stationId, 1, {
        vehicleClass: v.vehicleClass,
        cardNumber: bare.cardNumber,
      });
      const card = issueTestVehicleCard(v, { stationHex: plan.entryStationHex, time: plan.entryTime });
      const out = await hh.exit(v, card, { approve });
      tradeIds.push(out.tradeId);
    };

    // Chaos: every kind of fault on the uploads while traffic flows on both lanes.
    for (let i = 0; i < 4; i++) {
      await oneExit(hhA);
      await oneExit(hhB);
    }
    // The uploads reach 500-after before the outage: on a busy machine the eight exits can end before the
    // relay's retries get past the three failures ahead of it (the records stay pending until they do).
    await until(
      'the uploads reached 500-after',
      async () => recordPosts > CYCLE.indexOf('500-after'),
      30_000,
    );
    // Outage: nothing gets through; the backlog grows and shows in /metrics.
    mode = 'down';
    for (let i = 0; i < 3; i++) await oneExit(i % 2 ? hhB : hhA);
    const during = await api<{ backlog: number; oldestAgeSeconds: number }>(
      sys.stationUrl,
      'GET',
      '/outbox',
      {
        token: monitor,
      },
    );
    expect(during.backlog).toBeGreaterThanOrEqual(3);
    const metrics = await (await fetch(`${sys.stationUrl}/metrics`)).text();
    expect(Number(/tollpad_station_outbox_backlog (\d+)/.exec(metrics)?.[1])).toBeGreaterThanOrEqual(3);
    expect(metrics).toMatch(/tollpad_station_outbox_oldest_age_seconds \d/);
    // The station crashes during the outage; its relay state is in the database, and the lists it last took
    // from the centre are on its disk: in force again before the centre can be reached.
    const admin2 = await token(sys.stationUrl, DEMO.admin);
    type SyncStatus = {
      inForce: { lists: Record<string, string> };
      lists: Record<string, { source: string; error: { code: string } | null }>;
    };
    const synced = await api<SyncStatus>(sys.stationUrl, 'GET', '/sync/status', { token: admin2 });
    expect(synced.inForce.lists.card).toBeTruthy();
    await sys.restartStation();
    const restarted = await api<SyncStatus>(sys.stationUrl, 'GET', '/sync/status', {
      token: await token(sys.stationUrl, DEMO.admin),
    });
    expect(restarted.inForce.lists).toEqual(synced.inForce.lists);
    expect(restarted.lists.card?.source).toBe('cache');
    mode = 'up';

    await until(
      'backlog drained',
      async () => {
        const o = await api<{ backlog: number }>(sys.stationUrl, 'GET', '/outbox', { token: monitor });
        return o.backlog === 0;
      },
      30_000,
    );
    const drained = await api<{ rejected: unknown[] }>(sys.stationUrl, 'GET', '/outbox', { token: monitor });
    expect(drained.rejected).toEqual([]);
    // Every record once, TAC verified; the proxy's lost answers came back as idempotent replays.
    const acks = [];
    for (const id of tradeIds) {
      const r = await api<{ ack: { tradeId: string; tacStatus: string; receivedAt: string } }>(
        sys.centreUrl,
        'GET',
        `/records/${id}`,
      );
      expect(r.ack.tacStatus).toBe('verified');
      acks.push(r.ack);
    }
    const day = tradeIds[0]!.slice(21, 29);
    const clearing = await api<{ rows: { records: number }[] }>(
      sys.centreUrl,
      'GET',
      `/clearing?from=${day}`,
    );
    expect(clearing.rows.reduce((n, r) => n + r.records, 0)).toBe(tradeIds.length);
    for (const lane of [sys.laneId, laneB]) {
      const mine = acks
        .filter((a) => a.tradeId.startsWith(lane))
        .sort((a, b) => a.tradeId.localeCompare(b.tradeId));
      const received = mine.map((a) => a.receivedAt);
      expect(received).toEqual([...received].sort());
    }
    expect(proxy.counts['500-after']).toBeGreaterThan(0);
    const centreMetrics = await (await sys.centreFetch(`${sys.centreUrl}/metrics`)).text();
    expect(centreMetrics).toMatch(/tollpad_centre_record_ingest_total\{outcome="replayed"\} [1-9]/);
    const after = await (await fetch(`${sys.stationUrl}/metrics`)).text();
    expect(after).toMatch(/tollpad_station_outbox_backlog 0/);
    expect(after).not.toMatch(/tollpad_station_outbox_rejected\{/);
  }, 90_000);

  it('refuses a corrupted list delta and keeps the previous version in force', async () => {
    mode = 'corrupt-deltas';
    const admin = await token(sys.stationUrl, DEMO.admin);
    const status = () =>
      api<{
        inForce: { lists: Record<string, string> };
        lists: Record<string, { error: { code: string } | null }>;
      }>(sys.stationUrl, 'GET', '/sync/status', { token: admin });
    // The station restarted during the outage; make sure it holds the centre's lists first.
    await api(sys.stationUrl, 'POST', '/sync/run', { token: admin });
    const before = (await status()).inForce.lists.card;
    expect(before).toBeTruthy();
    // The issuer lists a TEST card; the centre cuts a delta.
    await api(sys.centreUrl, 'POST', '/lists/card/changes', {
      body: { changes: [{ key: '99010000000000000777', type: 1, action: 'add' }] },
    });
    const cut = await api<{ published: { version: string } }>(sys.centreUrl, 'POST', '/lists/card/cut');
    const next = cut.published.version;
    expect(next > before!).toBe(true);
    await api(sys.stationUrl, 'POST', '/sync/run', { token: admin });
    const refused = await status();
    expect(refused.inForce.lists.card).toBe(before);
    // A flipped byte no longer matches the publisher's signature: refused before it is even parsed.
    expect(refused.lists.card?.error?.code).toBe('SYNC_SIGNATURE_INVALID');
    // The link heals: the same delta now applies.
    mode = 'up';
    await api(sys.stationUrl, 'POST', '/sync/run', { token: admin });
    const healed = await status();
    expect(healed.inForce.lists.card).toBe(next);
    expect(healed.lists.card?.error).toBeNull();
  }, 30_000);
});
