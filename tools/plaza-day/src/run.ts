import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { VirtualEtcCard } from '@tollpad/card/sim';
import { testPng } from '../../../scripts/sim/test-png';
import { AppsUnderTest } from './apps-under-test';
import { arrearsEntryOf } from './arrears-vehicles';
import type { QrBehaviour } from './cpc-vehicles';
import { createDayDatabases, type DayDatabases, dropDayDatabases } from './day-databases';
import { drainOutbox, reconcileDay } from './day-reconciliation';
import type { Wallet } from './driver-wallet';
import { FaultLog } from './fault-log';
import { runFaultSchedule } from './fault-schedule';
import { greenBanKeys, publishGreenBans } from './green-bans';
import { Handheld } from './handheld';
import type { PlazaDayOptions } from './options';
import type { PaymentFaultHooks } from './payment-faults';
import { Prng } from './prng';
import { REPO_ROOT, snapshotTree } from './processes';
import type { ReconcileLine } from './reconcile';
import { type Sample, Sampler } from './sampler';
import type { VehicleResult } from './served-vehicle';
import type { RetryStats } from './station-client';
import { callJson } from './station-client';
import { COLLECTOR_PASSWORD, configureStation, login, roadWorld, stationCaller } from './station-setup';
import { arrearsVehicles, Traffic } from './traffic';
import { issueBystanderCard, listedCardNumbers } from './vehicles';

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

export interface RunControl {
  stopping: boolean;
  log: (line: string) => void;
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
  let dbs: DayDatabases | undefined;
  if (o.db === 'postgres') {
    dbs = await createDayDatabases(o.seed);
    notes.push(dbs.note);
  }
  const apps = await AppsUnderTest.prepare({
    runDir,
    treeRoot: tree.root,
    stationDbUrl: dbs?.stationDbUrl,
    centreDbUrl: dbs?.centreDbUrl,
    listedCards: listedCardNumbers(o.exits),
    seed: o.seed,
    paygate: o.media !== null,
  });
  const sc = stationCaller(apps.stationUrl, retry);

  let interrupted = false;
  let cpu: Record<string, number> = {};
  let lines: ReconcileLine[] = [];
  let traffic: Traffic | undefined;
  let sampler: Sampler | undefined;
  const bystanders: VirtualEtcCard[] = [];
  try {
    log(`run folder ${runDir}`);
    const bans = greenBanKeys(o, root);
    await apps.startCentreAndStation(log, async () => {
      if (bans.length === 0) return;
      await publishGreenBans(apps.centreUrl, bans, retry);
      log(`${bans.length} green-channel bans published at the centre (before the station's first sync)`);
    });
    const adminToken = await login(apps.stationUrl, 'demo-admin', 'demo-admin-TEST', retry);
    let monitorToken = await login(apps.stationUrl, 'demo-monitor', 'demo-monitor-TEST', retry);
    const { station: st, lanes, terminals } = await configureStation(sc, adminToken, o.handhelds);
    log(`station ${st.stationId}: ${lanes.length} lanes, ${terminals.length} handhelds`);
    await apps.startLaneSim(st.stationId, lanes, log);
    const world = await roadWorld(apps.centreLink.fetch, apps.centreUrl, st);
    const owing = arrearsVehicles(o, root);
    if (owing.length > 0) {
      // The arrears plates' entries in the centre's book before they arrive (as its publisher adds them).
      const entries = owing.map((v) =>
        arrearsEntryOf(
          { index: v.index, plate: v.spec.plate, colour: v.spec.colour },
          o.seed,
          world.network,
          st.stationId,
        ),
      );
      for (let k = 0; k < entries.length; k += 1000)
        await callJson(
          apps.centreUrl,
          'POST',
          '/arrears',
          { body: { entries: entries.slice(k, k + 1000) } },
          retry,
        );
      log(`${entries.length} arrears entries added to the centre's book`);
    }

    // ── handhelds ───────────────────────────────────────────────────────────────────────────────────
    for (let k = 0; k < 20; k++) bystanders.push(issueBystanderCard(k));
    let bi = 0;
    const photo = testPng();
    const handhelds: Handheld[] = [];
    const paygate = apps.paygate;
    const paymentFaults: PaymentFaultHooks | undefined = paygate
      ? {
          faults,
          platformFault: (input) => paygate.fault(input),
          killStation: async () => {
            const from = now();
            await apps.killStation(200);
            stationKills.push({ at: from, downMs: (now() - from) * 1000 });
          },
        }
      : undefined;
    for (const [i, t] of terminals.entries()) {
      const h = new Handheld({
        stationUrl: apps.stationUrl,
        centreUrl: apps.centreUrl,
        laneId: lanes[Math.floor(i / 2)]!,
        terminalId: t.id,
        psamTerminalNo: t.psam,
        username: t.user,
        password: COLLECTOR_PASSWORD,
        journalFile: join(runDir, `journal-${t.id}.json`),
        photo,
        monitorToken: () => monitorToken,
        stats: retry,
        faults,
        bystander: () => bystanders[bi++ % bystanders.length]!,
        t0,
        ...(paymentFaults ? { paymentFaults } : {}),
        ...(paygate
          ? {
              wallet: (url: string, w: Wallet, b: QrBehaviour, code: string) =>
                paygate.driverPays(url, w, b, code),
            }
          : {}),
      });
      await h.start();
      handhelds.push(h);
    }
    log(`${handhelds.length} handhelds logged in, shifts open, PSAMs authorised at the centre`);

    // ── traffic, with the process and link faults beside it ─────────────────────────────────────────
    const day = new Traffic(o, root, world, () => ctl.stopping, log);
    traffic = day;
    let trafficDone = false;
    const faultsDone = runFaultSchedule({
      o,
      apps,
      root,
      faults,
      stationKills,
      retry,
      monitorToken: () => monitorToken,
      issued: () => day.issued,
      stopping: () => ctl.stopping,
      trafficDone: () => trafficDone,
      now,
      cutShort: (reason) => {
        log(`fault injection failed, stopping the traffic: ${reason}`);
        notes.push(`the day was cut short: a fault injection failed (${reason})`);
        ctl.stopping = true;
      },
    });
    sampler = new Sampler(apps.stationUrl, day, now, o.exits, faults, log);
    log(`traffic: ${o.exits} vehicles, ${o.handhelds} handhelds, seed ${o.seed}`);
    const cpu0 = apps.cpuMark();
    await day.drive(handhelds);
    cpu = apps.cpuSince(cpu0);
    trafficDone = true;
    interrupted = ctl.stopping;
    log(
      `traffic ${interrupted ? 'interrupted' : 'done'}: ${day.completed} vehicles in ${now().toFixed(0)} s; ending faults`,
    );
    await faultsDone;
    await apps.restoreAll();

    // ── drain the outbox, reconcile ─────────────────────────────────────────────────────────────────
    monitorToken = await login(apps.stationUrl, 'demo-monitor', 'demo-monitor-TEST', retry);
    const outbox = await drainOutbox(sc, monitorToken, interrupted);
    await sampler.stop();
    log(`outbox backlog ${outbox.backlog}; reconciling`);
    const reconciled = await reconcileDay({
      runDir,
      stationDbUrl: dbs?.stationDbUrl,
      centreUrl: apps.centreUrl,
      sc,
      monitorToken,
      retry,
      results: day.results,
      bystanders,
      outboxBacklog: outbox.backlog,
      paygate: apps.paygate,
      startedAt,
      media: o.media,
      arrears: owing.map((v) => ({
        index: v.index,
        plate: v.spec.plate,
        colour: v.spec.colour,
        entryId: v.entry.id,
      })),
    });
    lines = reconciled.lines;
    notes.push(...reconciled.notes);
  } finally {
    await apps.stopAll().catch((e: unknown) => log(`stopping the processes: ${String(e)}`));
  }
  if (dbs && lines.length > 0 && lines.every((l) => l.ok)) {
    try {
      await dropDayDatabases(dbs);
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
    results: traffic?.results ?? [],
    samples: sampler?.samples ?? [],
    faults,
    stationKills,
    retry,
    lines,
    notes,
    cpu,
  };
}
