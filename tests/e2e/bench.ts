import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { issueTestVehicleCard, trainingVehicleSpec } from '@tollpad/card/sim';
import type { BenchRow } from '@tollpad/domain/bench';
import BetterSqlite3 from 'better-sqlite3';
import { SimHandheld } from '../../scripts/sim/handheld';
import { api } from '../../scripts/sim/http';
import { startSystem } from '../../scripts/sim/processes';
import { planTrip, postPassages } from '../../scripts/sim/trip';
import { type FaultProxy, startFaultProxy } from './fault-proxy';
import { centreNetwork, DEMO, STATION_SCRIPT, token, uniqueTopicRoot } from './world';

function p95(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(s.length * 0.95) - 1)] ?? 0;
}

/**
 * Integration benchmarks over real processes (centre + station, SQLite, fsync on):
 * - outbox drain rate after a (compressed) centre outage: `backlog` TAC-valid records queued while the
 *   link is down (one real exit, cloned under new trade IDs of the same lane — the TAC does not cover
 *   the trade ID), then the link heals and the time to an empty backlog is measured;
 * - online-fee latency p95 over HTTP through the station (【算费】 with the centre's path fitting), beside
 *   the centre's own /online-fee p95 as the baseline.
 */
export async function runIntegrationBenchmarks(
  opts: { backlog?: number; feeCalls?: number } = {},
): Promise<BenchRow[]> {
  const backlog = opts.backlog ?? 500;
  const feeCalls = opts.feeCalls ?? 100;
  const dataDir = mkdtempSync(join(tmpdir(), 'tollpad-bench-'));
  let proxy: FaultProxy | undefined;
  let down = true;
  const sys = await startSystem({
    dataDir,
    centrePort: 0,
    stationPort: 0,
    laneControlPort: 0,
    mqttUrl: process.env.TOLLPAD_TEST_MQTT_URL ?? 'mqtt://127.0.0.1:1883',
    topicRoot: uniqueTopicRoot(),
    stationScript: STATION_SCRIPT,
    centreUrlForStation: async (centreUrl, stationTls) => {
      proxy = await startFaultProxy(
        centreUrl,
        (req) => (down && req.url === '/records' ? 'reset' : 'pass'),
        stationTls,
      );
      return proxy.url;
    },
    stationEnv: {
      OUTBOX_POLL_MS: '100',
      OUTBOX_BACKOFF_BASE_MS: '50',
      OUTBOX_BACKOFF_MAX_MS: '200',
      ONLINE_FEE_TIMEOUT_MS: '5000',
    },
  });
  try {
    const net = await centreNetwork(sys.centreUrl);
    const car = trainingVehicleSpec('car')!;
    const now = new Date();
    const plan = planTrip(net, {
      exitStationId: sys.stationId,
      offset: 3,
      vehicleClass: 1,
      entryTime: new Date(now.getTime() - 3600_000),
      exitTime: now,
      cardNumber: issueTestVehicleCard(car, null).cardNumber,
    });
    await postPassages(sys.centreUrl, plan, 1);
    const card = issueTestVehicleCard(car, { stationHex: plan.entryStationHex, time: plan.entryTime });
    const hh = await SimHandheld.login({
      stationUrl: sys.stationUrl,
      centreUrl: sys.centreUrl,
      ...DEMO.collector,
      terminalId: DEMO.terminalId,
      psamTerminalNo: DEMO.psamTerminalNo,
      laneId: sys.laneId,
    });
    const approve = () => token(sys.stationUrl, DEMO.monitor);
    const first = await hh.exit(car, card, { approve });

    // Online fee through the station: re-price one transaction (【算费】 may be repeated before DEBIT).
    const card2 = issueTestVehicleCard({ ...car, serial: car.serial + 1 }, null);
    const plan2 = planTrip(net, {
      exitStationId: sys.stationId,
      offset: 3,
      vehicleClass: 1,
      entryTime: plan.entryTime,
      exitTime: now,
      cardNumber: card2.cardNumber,
    });
    await postPassages(sys.centreUrl, plan2, 1);
    const viaStation: number[] = [];
    const direct: number[] = [];
    const txn = await hh.prepareFee(
      { ...car, serial: car.serial + 1 },
      issueTestVehicleCard(
        { ...car, serial: car.serial + 1 },
        { stationHex: plan2.entryStationHex, time: plan2.entryTime },
      ),
    );
    for (let i = 0; i < feeCalls; i++) {
      const t0 = performance.now();
      await hh.call('POST', `/exits/${txn}/fee`, { vehicleClass: 1, vehicleKind: 0 });
      viaStation.push(performance.now() - t0);
      const t1 = performance.now();
      await api(sys.centreUrl, 'POST', '/online-fee', {
        body: {
          passId: plan2.passId,
          entryStation: plan2.entryStationId,
          exitStation: sys.stationId,
          vehicleClass: 1,
          exitTime: new Date().toISOString(),
        },
      });
      direct.push(performance.now() - t1);
    }
    const feeP95 = p95(viaStation);
    const directP95 = p95(direct);

    // Clone the queued record into a backlog (station DB, same lane, later serials).
    const db = new BetterSqlite3(join(dataDir, 'station', 'station.sqlite'));
    db.pragma('busy_timeout = 5000');
    const row = db.prepare('SELECT * FROM outbox WHERE idempotency_key = ?').get(first.tradeId) as
      | Record<string, unknown>
      | undefined;
    if (!row) throw new Error('the exit left no outbox row');
    const base = first.tradeId.slice(0, 31);
    const serial0 = Number(first.tradeId.slice(31)) + 1000;
    const insert = db.prepare(
      'INSERT INTO outbox (id, topic, idempotency_key, payload, created_at, attempts, next_attempt_at, acked_at, status) VALUES (?, ?, ?, ?, ?, 0, ?, NULL, ?)',
    );
    const at = new Date().toISOString();
    db.transaction(() => {
      for (let i = 0; i < backlog; i++) {
        const id = `${base}${String(serial0 + i).padStart(6, '0')}`;
        const payload = JSON.stringify({ ...JSON.parse(String(row.payload)), id });
        insert.run(`bench-${id}`, 'exit-record', id, payload, at, at, 'pending');
      }
    })();
    db.close();
    const count = async () =>
      (await api<{ backlog: number }>(sys.stationUrl, 'GET', '/outbox', { token: await approve() })).backlog;
    if ((await count()) < backlog) throw new Error('backlog not queued');
    // The outage ends.
    down = false;
    const t0 = performance.now();
    const monitor = await approve();
    for (;;) {
      const b = await api<{ backlog: number; rejected: unknown[] }>(sys.stationUrl, 'GET', '/outbox', {
        token: monitor,
      });
      if (b.rejected.length > 0) throw new Error(`records refused: ${JSON.stringify(b.rejected[0])}`);
      if (b.backlog === 0) break;
      if (performance.now() - t0 > 120_000) throw new Error('backlog did not drain in 120 s');
      await new Promise((r) => setTimeout(r, 25));
    }
    const seconds = (performance.now() - t0) / 1000;
    const rate = (backlog + 1) / seconds;
    return [
      {
        name: `station→centre outbox drain after an outage (${backlog + 1} records, one lane, SQLite both ends)`,
        value: rate,
        unit: 'records/s',
        goal: '≥ 50 records/s [P]: an hour of a busy lane (~400 exits) clears in < 10 s',
        pass: rate >= 50,
      },
      {
        name: 'online fee p95 through the station (【算费】 over HTTP, centre path fitting)',
        value: feeP95,
        unit: 'ms',
        goal: '≤ 200 ms [P] (policy timeout 1 s)',
        baseline: `centre /online-fee direct p95 ${directP95.toFixed(1)} ms`,
        ratio: directP95 > 0 ? feeP95 / directP95 : undefined,
        pass: feeP95 <= 200,
      },
    ];
  } finally {
    await sys.stop();
    await proxy?.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
