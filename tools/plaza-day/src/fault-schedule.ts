import type { Linkage } from '@tollpad/station-api';
import { type AppsUnderTest, startWithRetry } from './apps-under-test';
import type { FaultLog } from './fault-log';
import type { PlazaDayOptions } from './options';
import { faultPositions } from './plan';
import type { Prng } from './prng';
import { sleep } from './processes';
import { callJson, type RetryStats } from './station-client';

/** What the process and link faults act on and report to. */
export interface FaultScheduleContext {
  o: PlazaDayOptions;
  apps: AppsUnderTest;
  /** The day's root random stream; each fault kind forks its own. */
  root: Prng;
  faults: FaultLog;
  stationKills: { at: number; downMs: number }[];
  retry: RetryStats;
  monitorToken: () => string;
  /** Vehicles issued so far: faults start at seeded points in the day, counted in vehicles. */
  issued: () => number;
  /** Ctrl-C or a failed fault: the day is stopping. */
  stopping: () => boolean;
  /** The traffic is over: no new fault starts. */
  trafficDone: () => boolean;
  /** Seconds since the start of the day. */
  now: () => number;
  /** A fault that cannot be injected (a process that will not come back) ends the traffic. */
  cutShort: (reason: string) => void;
}

/**
 * The process and link faults of the day (station SIGKILL, centre outage, slow link, lost MQTT link), each
 * kind at its own seeded points; resolves when every kind has run its course or the traffic is over.
 */
export async function runFaultSchedule(c: FaultScheduleContext): Promise<void> {
  const { o, apps, faults } = c;
  // One link state at a time: an outage and a slow link do not overlap.
  let proxyLock: Promise<void> = Promise.resolve();
  const withProxy = (fn: () => Promise<void>) => {
    const p = proxyLock.then(fn);
    proxyLock = p.catch(() => {});
    return p;
  };
  const faultLoop = async (count: number, salt: number, inject: (rng: Prng) => Promise<void>) => {
    const rng = c.root.fork(salt);
    for (const pos of faultPositions(count, o.exits, rng)) {
      while (c.issued() < pos && !c.stopping() && !c.trafficDone()) await sleep(50);
      if (c.stopping() || c.trafficDone()) return;
      try {
        await inject(rng);
      } catch (e) {
        // A process that will not come back ends the day early; what was done is still reconciled.
        c.cutShort(String(e));
        return;
      }
    }
  };
  await Promise.all([
    faultLoop(o.stationKills, 0x5a1, async (rng) => {
      const from = c.now();
      faults.inject('station-kill');
      await apps.killStation(rng.int(100, 800));
      c.stationKills.push({ at: from, downMs: (c.now() - from) * 1000 });
      faults.window('station-kill', from, c.now());
      faults.recover('station-kill', 'restarted; handhelds carried on (retry)');
    }),
    faultLoop(o.centreOutages, 0xce1, async () => {
      await withProxy(async () => {
        const from = c.now();
        apps.setLink('down');
        faults.inject('centre-outage');
        await sleep(o.outageMs);
        apps.setLink('up');
        faults.window('centre-outage', from, c.now());
      });
      // Watched on the side, so the next outage keeps its place in the day.
      void watchRelayBack(c, new Date().toISOString());
    }),
    faultLoop(o.slowLinks, 0x510, async () => {
      await withProxy(async () => {
        const from = c.now();
        apps.setLink('slow', o.slowLatencyMs);
        faults.inject('slow-link');
        await sleep(o.slowMs);
        apps.setLink('up');
        faults.window('slow-link', from, c.now());
        faults.recover('slow-link', 'link back to normal speed');
      });
    }),
    faultLoop(o.mqttLosses, 0x3e7, async () => {
      const from = c.now();
      await apps.laneSim?.stop('SIGKILL');
      faults.inject('mqtt-loss');
      await sleep(o.outageMs);
      if (apps.laneSim) await startWithRetry(apps.laneSim);
      faults.window('mqtt-loss', from, c.now());
      await watchLanesOnline(c);
    }),
  ]);
}

/**
 * A centre outage has recovered once the relay is acknowledged by the centre again after the link came
 * back (the outbox's lastAckAt moves past `back`).
 */
async function watchRelayBack(c: FaultScheduleContext, back: string): Promise<void> {
  const until = Date.now() + 300_000;
  while (Date.now() < until) {
    try {
      const r = await callJson<{ lastAckAt: string | null }>(
        c.apps.stationUrl,
        'GET',
        '/outbox',
        { token: c.monitorToken(), deadlineMs: 5_000 },
        { retries: 0, lostAnswers: 0 },
      );
      if (r.value.lastAckAt && r.value.lastAckAt > back) {
        c.faults.recover('centre-outage', 'relay acknowledged by the centre again after the link came back');
        return;
      }
    } catch {
      // station restarting
    }
    await sleep(250);
  }
  c.faults.recover('centre-outage', 'no acknowledgement within 300 s of the link coming back');
}

/** A lost MQTT link has recovered once the station sees every handheld lane online again. */
async function watchLanesOnline(c: FaultScheduleContext): Promise<void> {
  const until = Date.now() + 30_000;
  while (Date.now() < until && !c.stopping()) {
    try {
      const r = await callJson<Linkage>(
        c.apps.stationUrl,
        'GET',
        '/linkage/lanes',
        { token: c.monitorToken(), deadlineMs: 5_000 },
        c.retry,
      );
      if (r.value.lanes.filter((l) => l.handheldEnabled).every((l) => l.link === 'online')) {
        c.faults.recover('mqtt-loss', 'lane controller back, station sees every lane online');
        return;
      }
    } catch {
      // station restarting
    }
    await sleep(250);
  }
}
