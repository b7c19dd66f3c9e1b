import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Lane, StationInfo } from '@tollpad/station-api';
import { DEMO_TERMINAL } from '../../apps/station/src/seed';
import { fetchTrusting } from '../../scripts/sim/tls-fetch';
import { LISTED_CARD, type RunningCentre, startCentre } from './centre';
import { FIXTURE_ACCOUNTS, type FixtureWorld } from './world';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface RunningStation {
  url: string;
  /** The station CA the station made on first start (TEST): PEM of its certificate and key. */
  ca: { cert: string; key: string };
  world: FixtureWorld;
  /** The real reference centre the station reports to (records, inspections, paybacks are asked there). */
  centre: RunningCentre;
  /** Calls the station as a role (for setup and for checking records). */
  api(
    role: keyof typeof FIXTURE_ACCOUNTS,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; json: unknown }>;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (a && typeof a === 'object' ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Starts the REAL reference centre (./centre.ts) and then the REAL station (`apps/station/src/main.ts` under
 * tsx) on a free port, SQLite in a temp dir, with its demo seed, pointing at the centre over mutual TLS as in
 * production: the station syncs its tariff and status lists (card, chase, green) from the centre before it
 * is ready, asks it the online fee, arrears and paths, and its relay uploads every record there. The station
 * serves HTTPS from the station CA it makes on first start; everything here talks to it trusting only that CA.
 */
export async function startStation(): Promise<RunningStation> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tollpad-hh-'));
  // The demo seed's station is the tariff's second (scripts/sim/centre-link.ts names its certificate so).
  const centre = await startCentre(dataDir, (net) => (net.stations[1] ?? net.stations[0])!.id).catch(
    (e: unknown) => {
      rmSync(dataDir, { recursive: true, force: true });
      throw e;
    },
  );
  try {
    return await launch(dataDir, centre);
  } catch (e) {
    await centre.close();
    rmSync(dataDir, { recursive: true, force: true });
    throw e;
  }
}

/** The station process pointed at `centre`, ready once its first sync brought the centre's lists. */
async function launch(dataDir: string, centre: RunningCentre): Promise<RunningStation> {
  const port = await freePort();
  const url = `https://127.0.0.1:${port}`;
  const caDir = join(dataDir, 'station', 'tls');
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'apps/station/src/main.ts')],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: join(dataDir, 'station'),
        STATION_SEED: 'demo',
        STATION_KDF: 'test',
        ...centre.stationEnv,
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  const deadline = Date.now() + 60_000;
  let fetch: typeof globalThis.fetch = globalThis.fetch;
  const kill = async () => {
    if (exited) return;
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  };
  for (;;) {
    if (exited) throw new Error(`station exited: ${stderr}`);
    if (Date.now() > deadline) {
      await kill();
      throw new Error(`station did not start: ${stderr}`);
    }
    let caCert: string;
    try {
      caCert = readFileSync(join(caDir, 'ca.cert.pem'), 'utf8');
    } catch {
      await new Promise((r) => setTimeout(r, 200));
      continue;
    }
    fetch = fetchTrusting(caCert);
    const ok = await fetch(`${url}/healthz`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) break;
    await new Promise((r) => setTimeout(r, 200));
  }

  const tokens = new Map<string, string>();
  const api: RunningStation['api'] = async (role, method, path, body) => {
    let token = tokens.get(role);
    if (!token) {
      const r = await fetch(`${url}/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          ...FIXTURE_ACCOUNTS[role],
          ...(role === 'collector' ? { terminalId: DEMO_TERMINAL.id } : {}),
        }),
      });
      token = ((await r.json()) as { token: string }).token;
      tokens.set(role, token);
    }
    const r = await fetch(`${url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await r.text();
    return { status: r.status, json: text ? (JSON.parse(text) as unknown) : null };
  };

  // Every list the tests rely on came from the centre in the station's first sync (before it was ready).
  const sync = (await api('admin', 'GET', '/sync/status')).json as {
    lists: Record<string, { source: string; version: string | null }>;
  };
  for (const kind of ['card', 'vehicle-chase', 'vehicle-green', 'vehicle-green-ban'])
    if (sync.lists[kind]?.source !== 'centre' || !sync.lists[kind]?.version) {
      await kill();
      throw new Error(`the station did not sync ${kind} from the centre: ${JSON.stringify(sync)}`);
    }

  // The demo world, read back from the station itself.
  const station = (await api('admin', 'GET', '/config/station')).json as StationInfo;
  const lanes = (await api('admin', 'GET', '/config/lanes')).json as Lane[];
  const enabled = lanes.find((l) => l.handheldEnabled);
  const disabled = lanes.find((l) => !l.handheldEnabled);
  if (!enabled || !disabled) throw new Error(`demo seed lanes: ${JSON.stringify(lanes)}`);
  const world: FixtureWorld = {
    stationId: station.stationId,
    stationHex: station.stationHex,
    // The province's first station: where the fixtures' trips enter.
    entryStationHex: centre.network.stations[0]!.hex,
    laneId: enabled.id,
    disabledLaneId: disabled.id,
    terminalId: DEMO_TERMINAL.id,
    psam: DEMO_TERMINAL.psamTerminalNo,
    listedCardId: LISTED_CARD,
  };
  const ca = {
    cert: readFileSync(join(caDir, 'ca.cert.pem'), 'utf8'),
    key: readFileSync(join(caDir, 'ca.key.pem'), 'utf8'),
  };
  return {
    url,
    ca,
    world,
    centre,
    api,
    async stop() {
      await kill();
      await centre.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
