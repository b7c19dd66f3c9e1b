import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { trainingChaseListEntries, trainingGreenListEntries } from '@tollpad/card/sim';
import type { AnyExitRecord, ArrearsPaybackRecord, GreenInspectionUpload } from '@tollpad/domain';
import type { Lane, StationInfo } from '@tollpad/station-api';
import { DEMO_TERMINAL } from '../../apps/station/src/seed';
import { fetchTrusting } from '../../scripts/sim/tls-fetch';
import { startFakeCentre } from './fake-centre';
import { FIXTURE_ACCOUNTS, type FixtureWorld } from './world';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** TEST card on the card status list (type 1 挂失), given to the station through LISTS_DIR. */
const LISTED_CARD = '99010000000000000666';

export interface RunningStation {
  url: string;
  /** The station CA the station made on first start (TEST): PEM of its certificate and key. */
  ca: { cert: string; key: string };
  world: FixtureWorld;
  /** The records the station uploaded to its (fake) centre, by trade ID. */
  centreRecords: ReadonlyMap<string, AnyExitRecord>;
  /** The 绿通查验 the station uploaded beside their records, by trade ID. */
  centreGreenInspections: ReadonlyMap<string, GreenInspectionUpload>;
  /** The payback records (补缴) the station uploaded to its (fake) centre, by trade ID. */
  centrePaybacks: ReadonlyMap<string, ArrearsPaybackRecord>;
  /** The (fake) centre's URL: its arrears book is asked directly (`GET /arrears/:plate`). */
  centreUrl: string;
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
 * Starts the REAL station (`apps/station/src/main.ts` under tsx) on a free port, SQLite in a temp dir,
 * with its demo seed, a TEST card status list, and the fake centre for the online fee. It serves HTTPS from
 * the station CA it makes on first start; everything here talks to it trusting only that CA.
 */
export async function startStation(): Promise<RunningStation> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tollpad-hh-'));
  const listsDir = join(dataDir, 'lists');
  mkdirSync(listsDir);
  writeFileSync(
    join(listsDir, 'card.json'),
    JSON.stringify({
      version: 'TEST-CARD-1',
      entries: [{ key: LISTED_CARD, type: 1, reason: '卡挂失 (TEST)' }],
    }),
  );
  // The training green-channel trucks' appointments and bans (TEST), as the centre's lists would give them.
  const green = trainingGreenListEntries();
  writeFileSync(
    join(listsDir, 'green.json'),
    JSON.stringify({ version: 'TEST-GREEN-1', entries: green.appointments }),
  );
  writeFileSync(
    join(listsDir, 'green-ban.json'),
    JSON.stringify({ version: 'TEST-GBAN-1', entries: green.bans }),
  );
  // The training arrears plates on the chase list (TEST), as the centre's vehicle-chase list would give them.
  writeFileSync(
    join(listsDir, 'vehicle.json'),
    JSON.stringify({ version: 'TEST-VEH-1', entries: trainingChaseListEntries() }),
  );
  const centre = await startFakeCentre();
  const port = await freePort();
  const url = `https://127.0.0.1:${port}`;
  const caDir = join(dataDir, 'tls');
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'apps/station/src/main.ts')],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        LISTS_DIR: listsDir,
        STATION_SEED: 'demo',
        STATION_KDF: 'test',
        CENTRE_URL: centre.url,
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
  for (;;) {
    if (exited) throw new Error(`station exited: ${stderr}`);
    if (Date.now() > deadline) throw new Error(`station did not start: ${stderr}`);
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

  // The demo world, read back from the station itself.
  const station = (await api('admin', 'GET', '/config/station')).json as StationInfo;
  const lanes = (await api('admin', 'GET', '/config/lanes')).json as Lane[];
  const enabled = lanes.find((l) => l.handheldEnabled);
  const disabled = lanes.find((l) => !l.handheldEnabled);
  if (!enabled || !disabled) throw new Error(`demo seed lanes: ${JSON.stringify(lanes)}`);
  const world: FixtureWorld = {
    stationId: station.stationId,
    stationHex: station.stationHex,
    entryStationHex: centre.entryStationHex,
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
    centreRecords: centre.records,
    centreGreenInspections: centre.greenInspections,
    centrePaybacks: centre.paybacks,
    centreUrl: centre.url,
    api,
    async stop() {
      if (!exited) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
      await centre.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
