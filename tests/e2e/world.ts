import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadTariff, type Network } from '@tollpad/tariff';
import { SimHandheld } from '../../scripts/sim/handheld';
import { api, fetchFor } from '../../scripts/sim/http';
import { type RunningSystem, type SystemOptions, startSystem } from '../../scripts/sim/processes';
import { planTrip, type TripPlan } from '../../scripts/sim/trip';

/** The station entry point with the centre and lane links wired in. */
export const STATION_SCRIPT = 'apps/station/src/main.ts';

/** Demo/TEST accounts and terminal seeded by the station (apps/station/src/seed.ts). */
export const DEMO = {
  collector: { username: 'demo-collector', password: 'demo-collector-TEST' },
  monitor: { username: 'demo-monitor', password: 'demo-monitor-TEST' },
  admin: { username: 'demo-admin', password: 'demo-admin-TEST' },
  terminalId: 'HH-DEMO-01',
  psamTerminalNo: '0151000119F8',
};

/** The demo collector's simulated handheld (its TEST terminal and PSAM) at `laneId`, logged in. */
export function demoHandheld(
  sys: { readonly stationUrl: string; readonly centreUrl: string },
  laneId: string,
): Promise<SimHandheld> {
  return SimHandheld.login({
    stationUrl: sys.stationUrl,
    centreUrl: sys.centreUrl,
    ...DEMO.collector,
    terminalId: DEMO.terminalId,
    psamTerminalNo: DEMO.psamTerminalNo,
    laneId,
  });
}

/** The trip of a vehicle that entered `offset` stations up the road an hour ago and leaves at `exitStationId` now. */
export function hourTrip(
  net: Network,
  exitStationId: string,
  offset: number,
  v: { readonly vehicleClass: number; readonly cardNumber: string },
): TripPlan {
  const now = new Date();
  return planTrip(net, {
    exitStationId,
    offset,
    vehicleClass: v.vehicleClass,
    entryTime: new Date(now.getTime() - 3600_000),
    exitTime: now,
    cardNumber: v.cardNumber,
  });
}

/** Waits until the station reports `laneId` linked (online) over MQTT. */
export function untilLaneOnline(stationUrl: string, token: string, laneId: string): Promise<unknown> {
  return until(`lane ${laneId} online`, async () => {
    const r = await api<{ lanes: { laneId: string; link: string }[] }>(stationUrl, 'GET', '/linkage/lanes', {
      token,
    });
    return r.lanes.find((l) => l.laneId === laneId && l.link === 'online');
  });
}

export const MOSQUITTO = process.env.TOLLPAD_TEST_MQTT_URL ?? 'mqtt://127.0.0.1:1883';

export function uniqueTopicRoot(): string {
  return `test-${randomBytes(4).toString('hex')}/tollpad`;
}

export async function startTestSystem(
  extra: Partial<SystemOptions> = {},
): Promise<RunningSystem & { dataDir: string; cleanup(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tollpad-e2e-'));
  const sys = await startSystem({
    dataDir,
    centrePort: 0,
    stationPort: 0,
    laneControlPort: 0,
    mqttUrl: MOSQUITTO,
    topicRoot: uniqueTopicRoot(),
    stationScript: STATION_SCRIPT,
    ...extra,
    stationEnv: {
      OUTBOX_POLL_MS: '200',
      // Retries stay quick when a busy machine makes an upload time out.
      OUTBOX_BACKOFF_MAX_MS: '2000',
      // A cold centre on a busy 2-core machine (tests in parallel): the first path fit may take far
      // longer than the 1 s policy; the e2e cases check the online fee itself, not its fallback.
      ONLINE_FEE_TIMEOUT_MS: '20000',
      ...(extra.stationEnv ?? {}),
    },
  });
  return {
    ...sys,
    dataDir,
    async cleanup() {
      await sys.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function centreNetwork(centreUrl: string): Promise<Network> {
  const res = await fetchFor(centreUrl)(`${centreUrl}/tariffs/current`);
  const r = loadTariff(await res.text());
  if (!r.ok) throw new Error('centre tariff does not load');
  return r.value;
}

export async function token(
  stationUrl: string,
  who: { username: string; password: string },
): Promise<string> {
  return (await api<{ token: string }>(stationUrl, 'POST', '/auth/login', { body: who })).token;
}

export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined | null | false>,
  timeoutMs = 15_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end)
      throw new Error(`${what}: not reached in ${timeoutMs} ms ${last ? String(last) : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
