import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { VirtualEtcCard } from '@tollpad/card/sim';
import type { Linkage, LoginResult, StationInfo } from '@tollpad/station-api';
import { loadTariff } from '@tollpad/tariff';
import { prepareCentreLink } from '../../../scripts/sim/centre-link';
import { useFetchFor } from '../../../scripts/sim/http';
import { testPng } from '../../../scripts/sim/test-png';
import { type FaultProxy, startFaultProxy } from '../../../tests/e2e/fault-proxy';
import { centreClearing, centreRecords, exitDayOf, openStationStore } from './collect';
import { FaultLog } from './fault-log';
import { Handheld, type VehicleResult } from './handheld';
import type { PlazaDayOptions } from './options';
import { dayProfile, faultPositions, vehicleFault } from './plan';
import { Prng } from './prng';
import { ChildApp, freePort, httpOk, REPO_ROOT, sleep, snapshotTree } from './processes';
import { type CardFact, type ReconcileLine, reconcile } from './reconcile';
import { callJson, type RetryStats } from './station-client';
import { issueBystanderCard, listedCardNumbers, makeVehicle, type VehicleWorld } from './vehicles';

export interface Sample {
  /** Seconds since the start of the day. */
  t: number;
  completed: number;
  debited: number;
  /** Outbox backlog at the station (null while it is down). */
  backlog: number | null;
  p50: number | null;
  p95: number | null;
}

export interface RunSummary {
  options: PlazaDayOptions;
  runDir: string;
  startedAt: string;
  endedAt: string;
  wallSeconds: number;
  interrupted: boolean;
  results: VehicleResult[];
  samples: Sample[];
  faults: FaultLog;
  stationKills: { at: number; downMs: number }[];
  retry: RetryStats;
  lines: ReconcileLine[];
  notes: string[];
  /** CPU seconds spent during the traffic, per process. */
  cpu: Record<string, number>;
}

/** A restart that fails (e.g. a slow machine) is tried again a few times before the day gives up. */
async function startWithRetry(app: ChildApp, attempts = 4): Promise<void> {
  for (let i = 1; ; i++) {
    try {
      await app.start();
      return;
    } catch (e) {
      if (i >= attempts) throw e;
      await app.stop('SIGKILL');
      await sleep(2_000);
    }
  }
}

export interface RunControl {
  stopping: boolean;
  log: (line: string) => void;
}

const PASSWORD = 'plaza-day-TEST-pw';

/** The station entry point (relative to the tree the apps run from); PLAZA_DAY_STATION_SCRIPT overrides. */
function stationScript(): string {
  return process.env.PLAZA_DAY_STATION_SCRIPT || 'apps/station/src/main.ts';
}

/** The whole plaza day: processes up, setup, traffic with faults, drain, reconciliation. */
export async function runPlazaDay(o: PlazaDayOptions, ctl: RunControl): Promise<RunSummary> {
  const startedAt = new Date();
  const t0 = Date.now();
  const now = () => (Date.now() - t0) / 1000;
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
  const runDir = join(REPO_ROOT, 'data', 'plaza-day', `${o.seed}-${stamp}`);
  mkdirSync(runDir, { recursive: true });
  const log = ctl.log;
  const notes: string[] = [];
  const retry: RetryStats = { retries: 0, lostAnswers: 0 };
  const faults = new FaultLog();
  const results: VehicleResult[] = [];
  const samples: Sample[] = [];
  const stationKills: { at: number; downMs: number }[] = [];
  const root = new Prng(o.seed);
  const tree =
    o.tree === 'snapshot'
      ? snapshotTree(join(runDir, 'tree'))
      : { root: REPO_ROOT, commit: 'working tree', dirty: true };
  notes.push(
    o.tree === 'snapshot'
      ? `code under test: commit ${tree.commit} (git archive into the run folder${tree.dirty ? '; the working tree had uncommitted changes under apps/ or packages/, not used' : ''})`
      : 'code under test: the live working tree (--tree live)',
  );

  // ── databases ──────────────────────────────────────────────────────────────────────────────────────
  let stationDbUrl: string | undefined;
  let centreDbUrl: string | undefined;
  if (o.db === 'postgres') {
    const base = process.env.PLAZA_DAY_PG ?? 'postgres://postgres@127.0.0.1:5432';
    const suffix = `${o.seed}_${randomBytes(3).toString('hex')}`;
    const pg = (await import('pg')).default;
    const admin = new pg.Client({ connectionString: `${base}/test` });
    await admin.connect();
    for (const name of [`plazaday_station_${suffix}`, `plazaday_centre_${suffix}`]) {
      await admin.query(`create database ${name}`);
    }
    await admin.end();
    stationDbUrl = `${base}/plazaday_station_${suffix}`;
    centreDbUrl = `${base}/plazaday_centre_${suffix}`;
    notes.push(
      `PostgreSQL databases plazaday_station_${suffix}, plazaday_centre_${suffix} (left for inspection)`,
    );
  }

  // ── processes ──────────────────────────────────────────────────────────────────────────────────────
  const [centrePort, stationPort, controlPort] = [await freePort(), await freePort(), await freePort()];
  const centreUrl = `https://127.0.0.1:${centrePort}`;
  // Mutual TLS to the centre: its CA, a TEST publisher certificate for this tool's own calls.
  const centreLink = await prepareCentreLink(join(runDir, 'centre'));
  useFetchFor(centreUrl, centreLink.fetch);
  const stationUrl = `http://127.0.0.1:${stationPort}`;
  const mqttUrl = process.env.MQTT_URL ?? 'mqtt://127.0.0.1:1883';
  const topicRoot = `plazaday-${o.seed}-${randomBytes(3).toString('hex')}`;
  const listed = listedCardNumbers(o.exits);
  const centre = new ChildApp(
    'centre',
    'apps/centre/src/main.ts',
    {
      PORT: String(centrePort),
      HOST: '127.0.0.1',
      DATA_DIR: join(runDir, 'centre'),
      SEED_CARD_LIST_SIZE: '2000',
      SEED_CARD_ENTRIES: listed.map((c) => `${c}:1`).join(','),
      LIST_DELTA_MINUTES: '0',
      LOG_LEVEL: 'warn',
      ...centreLink.centreEnv,
      ...(centreDbUrl ? { DATABASE_URL: centreDbUrl } : {}),
    },
    join(runDir, 'centre.log'),
    () => httpOk(`${centreUrl}/healthz`),
    tree.root,
  );
  // The station reaches the centre through the e2e fault proxy (tests/e2e/fault-proxy.ts): down = every
  // request reset, slow = every request held back.
  const link = { mode: 'up' as 'up' | 'down' | 'slow', latencyMs: 0 };
  const setLink = (mode: 'up' | 'down' | 'slow', latencyMs = 0) => {
    link.mode = mode;
    link.latencyMs = latencyMs;
  };
  let proxy: FaultProxy | undefined;
  const station = new ChildApp(
    'station',
    stationScript(),
    {
      PORT: String(stationPort),
      HOST: '127.0.0.1',
      DATA_DIR: join(runDir, 'station'),
      STATION_SEED: 'demo',
      STATION_KDF: 'test',
      // TLS is not what the plaza day measures; plain HTTP is asked for explicitly.
      STATION_TLS: 'off',
      MQTT_URL: mqttUrl,
      TOPIC_ROOT: topicRoot,
      LOG_LEVEL: 'warn',
      // [P] compressed-day settings: a day of traffic in an hour, so backoffs shrink with it.
      OUTBOX_POLL_MS: '500',
      OUTBOX_BACKOFF_BASE_MS: '200',
      OUTBOX_BACKOFF_MAX_MS: '5000',
      OUTBOX_TIMEOUT_MS: '5000',
      SYNC_FIRST_TIMEOUT_MS: '3000',
      SYNC_INTERVAL_MS: '60000',
      RATE_LIMIT_PER_MINUTE: '10000000',
      // Every simulated handheld reaches the station from the loopback address.
      RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '10000000',
      LOGIN_PER_ADDRESS_PER_MINUTE: '10000',
      ...(stationDbUrl ? { DATABASE_URL: stationDbUrl } : {}),
    },
    join(runDir, 'station.log'),
    () => httpOk(`${stationUrl}/healthz`),
    tree.root,
  );
  let laneSim: ChildApp | undefined;
  const stopAll = async () => {
    await Promise.all([laneSim?.stop('SIGTERM'), station.stop('SIGTERM')]);
    await centre.stop('SIGTERM');
    await proxy?.close();
    for (const a of [centre, station, laneSim]) a?.close();
  };

  let interrupted = false;
  const cpu: Record<string, number> = {};
  let lines: ReconcileLine[] = [];
  const bystanders: VirtualEtcCard[] = [];
  try {
    log(`run folder ${runDir}`);
    log(`centre: starting on ${centrePort}`);
    log(`centre ready in ${await centre.start()} ms`);
    const stationTrust = await centreLink.stationEnv(centreUrl);
    proxy = await startFaultProxy(
      centreUrl,
      () => (link.mode === 'down' ? 'reset' : link.mode === 'slow' ? { delayMs: link.latencyMs } : 'pass'),
      {
        ca: readFileSync(stationTrust.CENTRE_CA_FILE, 'utf8'),
        cert: readFileSync(stationTrust.CENTRE_CLIENT_CERT_FILE, 'utf8'),
        key: readFileSync(stationTrust.CENTRE_CLIENT_KEY_FILE, 'utf8'),
      },
    );
    Object.assign(station.env, stationTrust);
    station.env.CENTRE_URL = proxy.url;
    log(`station: starting on ${stationPort} (centre through the fault proxy ${proxy.url})`);
    log(`station ready in ${await station.start()} ms`);

    // ── station set-up through the admin API ───────────────────────────────────────────────────────
    const sc = async <T = Record<string, unknown>>(
      method: string,
      path: string,
      token: string,
      body?: unknown,
    ) =>
      (await callJson<T>(stationUrl, method, path, { token, ...(body !== undefined ? { body } : {}) }, retry))
        .value;
    const login = async (username: string, password: string) => {
      const r = await callJson<LoginResult>(
        stationUrl,
        'POST',
        '/auth/login',
        { body: { username, password } },
        retry,
      );
      if (!r.value.token) throw new Error(`the station gave ${username} no bearer token`);
      return r.value.token;
    };
    const adminToken = await login('demo-admin', 'demo-admin-TEST');
    let monitorToken = await login('demo-monitor', 'demo-monitor-TEST');
    const st = await sc<StationInfo>('GET', '/config/station', adminToken);
    const plazaId = `${st.stationId}2010`;
    const laneCount = Math.max(1, Math.ceil(o.handhelds / 2));
    const lanes: string[] = [];
    for (let k = 1; k <= laneCount; k++) {
      const id = `${plazaId}${String(k * 10).padStart(3, '0')}`;
      await sc('PUT', `/config/lanes/${id}`, adminToken, {
        hex: `${st.stationHex}${k.toString(16).toUpperCase().padStart(2, '0')}`,
        name: `出口${k}（plaza-day TEST）`,
      });
      await sc('PUT', `/config/lanes/${id}/handheld`, adminToken, { enabled: true });
      lanes.push(id);
    }
    const terminals: { id: string; psam: string; user: string }[] = [];
    for (let i = 1; i <= o.handhelds; i++) {
      const id = `HH-PD-${String(i).padStart(2, '0')}`;
      const psam = `0151${(0x00a00000 + i).toString(16).toUpperCase().padStart(8, '0')}`;
      const user = `pd-collector-${String(i).padStart(2, '0')}`;
      await sc('PUT', `/config/terminals/${id}`, adminToken, {
        psamTerminalNo: psam,
        description: `plaza-day 手持机 ${i} (TEST)`,
        enabled: true,
      });
      await sc('POST', '/accounts', adminToken, {
        username: user,
        displayName: `模拟收费员${i}`,
        role: 'collector',
        password: PASSWORD,
      });
      terminals.push({ id, psam, user });
    }
    log(`station ${st.stationId}: ${lanes.length} lanes, ${terminals.length} handhelds`);

    laneSim = new ChildApp(
      'lane-sim',
      'apps/lane-sim/src/main.ts',
      {
        MQTT_URL: mqttUrl,
        STATION_ID: st.stationId,
        LANE_IDS: lanes.join(','),
        TOPIC_ROOT: topicRoot,
        CONTROL_PORT: String(controlPort),
        HEARTBEAT_MS: '1000',
        MOTION_MS: '50',
        CLOSE_DELAY_MS: '50',
      },
      join(runDir, 'lane-sim.log'),
      () => httpOk(`http://127.0.0.1:${controlPort}/lanes`),
      tree.root,
    );
    log(`lane-sim ready in ${await laneSim.start()} ms (MQTT ${mqttUrl}, topic root ${topicRoot})`);

    // ── the road network, for entry stations ────────────────────────────────────────────────────────
    const tariffText = await centreLink.fetch(`${centreUrl}/tariffs/current`).then((r) => r.text());
    const net = loadTariff(tariffText);
    if (!net.ok) throw new Error('the centre tariff does not load');
    const hexes = new Set(net.value.stations.map((s) => s.hex));
    const world: VehicleWorld = {
      exitStationHex: st.stationHex,
      entryHex(offset) {
        const seq = Number.parseInt(st.stationHex.slice(6, 8), 16);
        for (const s of [seq - offset, seq + offset]) {
          const hex = `${st.stationHex.slice(0, 6)}${s.toString(16).toUpperCase().padStart(2, '0')}`;
          if (s >= 1 && s <= 255 && hexes.has(hex)) return hex;
        }
        return net.value.stations.find((s) => s.hex !== st.stationHex)?.hex ?? null;
      },
      now: () => new Date(),
    };

    // ── handhelds ───────────────────────────────────────────────────────────────────────────────────
    for (let k = 0; k < 20; k++) bystanders.push(issueBystanderCard(k));
    let bi = 0;
    const photo = testPng();
    const handhelds: Handheld[] = [];
    for (let i = 0; i < terminals.length; i++) {
      const t = terminals[i]!;
      const h = new Handheld({
        stationUrl,
        centreUrl,
        laneId: lanes[Math.floor(i / 2)]!,
        terminalId: t.id,
        psamTerminalNo: t.psam,
        username: t.user,
        password: PASSWORD,
        journalFile: join(runDir, `journal-${t.id}.json`),
        photo,
        monitorToken: () => monitorToken,
        stats: retry,
        faults,
        bystander: () => bystanders[bi++ % bystanders.length]!,
        t0,
      });
      await h.start();
      handhelds.push(h);
    }
    log(`${handhelds.length} handhelds logged in, shifts open, PSAMs authorised at the centre`);

    // ── traffic ─────────────────────────────────────────────────────────────────────────────────────
    const dayT0 = Date.now();
    let issued = 0;
    let completed = 0;
    let debited = 0;
    const listedUsed = { next: 0 };
    const arrivalRng = root.fork(0xa11);
    let nextArrival = 0;
    const recent: number[] = [];
    const deadline = dayT0 + o.duration * 1000;
    const worker = async (h: Handheld) => {
      for (;;) {
        if (ctl.stopping || issued >= o.exits || Date.now() > deadline) return;
        const index = issued++;
        const vrng = root.fork(0x1000 + index);
        const vehicle = makeVehicle(index, vrng, o.mix, world, listedUsed);
        const fault = vehicleFault(vrng, o);
        if (o.rate > 0) {
          const rate = o.rate * dayProfile(index / o.exits);
          nextArrival += -Math.log(1 - arrivalRng.next()) / rate;
          const wait = dayT0 + nextArrival * 1000 - Date.now();
          if (wait > 0) await sleep(wait);
        }
        const r = await h.serve(vehicle, fault, vrng);
        results.push(r);
        completed++;
        if (r.outcome === 'debited') debited++;
        recent.push(r.latencyMs);
        if (r.outcome === 'failed') log(`vehicle ${r.index} (${r.caseId}) failed: ${r.error}`);
      }
    };

    // ── process and link faults ─────────────────────────────────────────────────────────────────────
    let proxyLock: Promise<void> = Promise.resolve();
    const withProxy = (fn: () => Promise<void>) => {
      const p = proxyLock.then(fn);
      proxyLock = p.catch(() => {});
      return p;
    };
    let trafficDone = false;
    const backlogNow = async (): Promise<number | null> => {
      try {
        const text = await fetch(`${stationUrl}/metrics`, { signal: AbortSignal.timeout(3000) }).then((r) =>
          r.text(),
        );
        const m = text.match(/^tollpad_station_outbox_backlog (\d+)/m);
        return m ? Number(m[1]) : null;
      } catch {
        return null;
      }
    };
    const faultLoop = async (count: number, salt: number, inject: (rng: Prng) => Promise<void>) => {
      const rng = root.fork(salt);
      for (const pos of faultPositions(count, o.exits, rng)) {
        while (issued < pos && !ctl.stopping && !trafficDone) await sleep(50);
        if (ctl.stopping || trafficDone) return;
        try {
          await inject(rng);
        } catch (e) {
          // A process that will not come back ends the day early; what was done is still reconciled.
          log(`fault injection failed, stopping the traffic: ${String(e)}`);
          notes.push(`the day was cut short: a fault injection failed (${String(e)})`);
          ctl.stopping = true;
          return;
        }
      }
    };
    const loops = [
      faultLoop(o.stationKills, 0x5a1, async (rng) => {
        const from = now();
        await station.stop('SIGKILL');
        faults.inject('station-kill');
        await sleep(rng.int(100, 800));
        await startWithRetry(station);
        stationKills.push({ at: from, downMs: (now() - from) * 1000 });
        faults.window('station-kill', from, now());
        faults.recover('station-kill', 'restarted; handhelds carried on (retry)');
      }),
      faultLoop(o.centreOutages, 0xce1, async () => {
        await withProxy(async () => {
          const from = now();
          setLink('down');
          faults.inject('centre-outage');
          await sleep(o.outageMs);
          setLink('up');
          faults.window('centre-outage', from, now());
        });
        // Recovered: the relay is acknowledged by the centre again after the link came back (lastAckAt moves
        // past the end of the outage). Watched on the side, so the next outage keeps its place in the day.
        const back = new Date().toISOString();
        void (async () => {
          const until = Date.now() + 300_000;
          while (Date.now() < until) {
            try {
              const r = await callJson<{ lastAckAt: string | null }>(
                stationUrl,
                'GET',
                '/outbox',
                { token: monitorToken, deadlineMs: 5_000 },
                { retries: 0, lostAnswers: 0 },
              );
              if (r.value.lastAckAt && r.value.lastAckAt > back) {
                faults.recover(
                  'centre-outage',
                  'relay acknowledged by the centre again after the link came back',
                );
                return;
              }
            } catch {
              // station restarting
            }
            await sleep(250);
          }
          faults.recover('centre-outage', 'no acknowledgement within 300 s of the link coming back');
        })();
      }),
      faultLoop(o.slowLinks, 0x510, async () => {
        await withProxy(async () => {
          const from = now();
          setLink('slow', o.slowLatencyMs);
          faults.inject('slow-link');
          await sleep(o.slowMs);
          setLink('up');
          faults.window('slow-link', from, now());
          faults.recover('slow-link', 'link back to normal speed');
        });
      }),
      faultLoop(o.mqttLosses, 0x3e7, async () => {
        const from = now();
        await laneSim?.stop('SIGKILL');
        faults.inject('mqtt-loss');
        await sleep(o.outageMs);
        if (laneSim) await startWithRetry(laneSim);
        faults.window('mqtt-loss', from, now());
        // The station sees the lanes again (link online) once the controller is back.
        const until = Date.now() + 30_000;
        while (Date.now() < until && !ctl.stopping) {
          try {
            const r = await callJson<Linkage>(
              stationUrl,
              'GET',
              '/linkage/lanes',
              { token: monitorToken, deadlineMs: 5_000 },
              retry,
            );
            if (r.value.lanes.filter((l) => l.handheldEnabled).every((l) => l.link === 'online')) {
              faults.recover('mqtt-loss', 'lane controller back, station sees every lane online');
              return;
            }
          } catch {
            // station restarting
          }
          await sleep(250);
        }
      }),
    ];

    // ── sampler ─────────────────────────────────────────────────────────────────────────────────────
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        await sleep(1000);
        const lat = recent.splice(0).sort((a, b) => a - b);
        const q = (p: number) =>
          lat.length ? lat[Math.min(lat.length - 1, Math.floor(p * lat.length))]! : null;
        samples.push({
          t: now(),
          completed,
          debited,
          backlog: await backlogNow(),
          p50: q(0.5),
          p95: q(0.95),
        });
      }
    })();
    const progress = setInterval(() => {
      const s = samples.at(-1);
      log(
        `t=${now().toFixed(0)}s exits ${completed}/${o.exits} debited ${debited} backlog ${s?.backlog ?? '-'} faults ${[...faults.injected.entries()].map(([k, v]) => `${k}:${v}`).join(' ')}`,
      );
    }, 15_000);

    log(`traffic: ${o.exits} vehicles, ${o.handhelds} handhelds, seed ${o.seed}`);
    const cpu0 = {
      driver: process.cpuUsage(),
      station: station.cpuMs(),
      centre: centre.cpuMs(),
      lane: laneSim.cpuMs(),
    };
    await Promise.all(handhelds.map((h) => worker(h)));
    const d = process.cpuUsage(cpu0.driver);
    cpu['driver (handhelds, cards, fault injection)'] = (d.user + d.system) / 1e6;
    cpu.station = (station.cpuMs() - cpu0.station) / 1000;
    cpu.centre = (centre.cpuMs() - cpu0.centre) / 1000;
    cpu['lane-sim'] = (laneSim.cpuMs() - cpu0.lane) / 1000;
    trafficDone = true;
    interrupted = ctl.stopping;
    log(
      `traffic ${interrupted ? 'interrupted' : 'done'}: ${completed} vehicles in ${now().toFixed(0)} s; ending faults`,
    );
    await Promise.all(loops);
    setLink('up');
    if (!station.running) await startWithRetry(station);
    if (laneSim && !laneSim.running) await startWithRetry(laneSim);

    // ── drain the outbox ────────────────────────────────────────────────────────────────────────────
    monitorToken = await login('demo-monitor', 'demo-monitor-TEST');
    const drainUntil = Date.now() + (interrupted ? 30_000 : 600_000);
    let outbox = { backlog: -1, rejected: [] as unknown[] };
    while (Date.now() < drainUntil) {
      outbox = await sc<{ backlog: number; rejected: unknown[] }>('GET', '/outbox', monitorToken);
      if (outbox.backlog === 0) break;
      await sleep(500);
    }
    sampling = false;
    await sampler;
    clearInterval(progress);
    log(`outbox backlog ${outbox.backlog}; reconciling`);

    // ── reconcile ───────────────────────────────────────────────────────────────────────────────────
    const store = openStationStore(
      stationDbUrl
        ? { databaseUrl: stationDbUrl }
        : { sqliteFile: join(runDir, 'station', 'station.sqlite') },
    );
    const stationRecords = await store.records();
    const debitPending = await store.debitPending();
    const refusals = await store.refusedByCode();
    await store.close();
    const days = [...new Set(stationRecords.map((r) => exitDayOf(r.tradeId)))];
    const centreRecs = await centreRecords(centreUrl, days, retry);
    const clearing = await centreClearing(centreUrl, days, retry);
    const shifts = await sc<{ id: string }[]>('GET', '/shifts', monitorToken);
    const shiftTotals: { shiftId: string; vehicles: number; amount: number }[] = [];
    for (const s of shifts) {
      const r = await sc<{ totals: { vehicles: number; amount: number } }>(
        'GET',
        `/shifts/${s.id}/report`,
        monitorToken,
      );
      shiftTotals.push({ shiftId: s.id, vehicles: r.totals.vehicles, amount: r.totals.amount });
    }
    const cards: CardFact[] = [
      ...results.map((r) => r.card),
      ...bystanders.map((b) => ({
        cardNo: `9901${String(80_000_000 + bystanders.indexOf(b)).padStart(16, '0')}`,
        vehicle: null,
        initialBalance: 100_000,
        finalBalance: b.balance,
        debits: b.debits.map((d) => ({ atc: d.atc - 1, amount: d.amount, datetime: d.datetime })),
      })),
    ];
    lines = reconcile({
      cards,
      stationRecords,
      centreRecords: centreRecs,
      shiftTotals,
      clearing,
      outbox: { backlog: outbox.backlog, rejected: Object.values(refusals).reduce((a, b) => a + b, 0) },
      debitPending,
      centreRefusals: refusals,
    });
    if (lines.some((l) => l.id === 'extime-is-debit-time' && !l.ok)) {
      notes.push(
        'exTime ≠ DEBIT datetime: the station stamps exTime with its own clock when it handles the debit intent, ' +
          'while the card TAC covers the datetime the handheld sent in INITIALIZE/DEBIT; the centre checks the TAC ' +
          'over exTime (apps/centre/src/services/tac.ts), so a record whose intent reached the station in a later ' +
          'second is refused (CTR_ERR_RECORD_TAC_MISMATCH). Fix: the debit intent carries the purchase datetime and ' +
          'the station uses it as exTime.',
      );
    }
  } finally {
    await stopAll().catch((e: unknown) => log(`stopping the processes: ${String(e)}`));
  }
  // PostgreSQL databases of a clean day are dropped (the server is shared); a failed day keeps them.
  if (stationDbUrl && centreDbUrl && lines.length > 0 && lines.every((l) => l.ok)) {
    try {
      const pg = (await import('pg')).default;
      const admin = new pg.Client({
        connectionString: `${process.env.PLAZA_DAY_PG ?? 'postgres://postgres@127.0.0.1:5432'}/test`,
      });
      await admin.connect();
      for (const url of [stationDbUrl, centreDbUrl])
        await admin.query(`drop database if exists ${url.split('/').pop()}`);
      await admin.end();
      notes.push('PostgreSQL databases dropped after a clean reconciliation');
    } catch (e) {
      log(`dropping the PostgreSQL databases: ${String(e)}`);
    }
  }
  return {
    options: o,
    runDir,
    startedAt: startedAt.toISOString(),
    endedAt: new Date().toISOString(),
    wallSeconds: now(),
    interrupted,
    results,
    samples,
    faults,
    stationKills,
    retry,
    lines,
    notes,
    cpu,
  };
}
