import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadTariff, type Network } from '@tollpad/tariff';
import pg from 'pg';
import { SimHandheld } from '../../scripts/sim/handheld';
import { api, fetchFor } from '../../scripts/sim/http';
import { type RunningSystem, type SystemOptions, startSystem } from '../../scripts/sim/processes';

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

const PG_ADMIN_URL = process.env.TOLLPAD_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A fresh PostgreSQL database for one station process; `drop()` removes it. */
export async function createPgDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `tollpad_e2e_${randomBytes(6).toString('hex')}`;
  const admin = async (text: string) => {
    const c = new pg.Client({ connectionString: PG_ADMIN_URL });
    await c.connect();
    try {
      await c.query(text);
    } finally {
      await c.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}
