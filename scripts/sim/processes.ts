import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { TEST_MERCHANTS } from '../../apps/paygate/src/fixtures/test-merchants';
import { prepareCentreLink } from './centre-link';
import { useFetchFor } from './http';
import { demoMqttAccounts } from './mqtt-accounts';
import { fetchTrusting } from './tls-fetch';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface Proc {
  name: string;
  child: ChildProcess;
  /** Every output line so far (stdout and stderr). */
  lines: string[];
  /** Resolves with the first line that matches. */
  waitFor(re: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  /** Signals the process and waits for its exit; SIGKILL after `graceMs` (10 s). */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<void>;
  kill(): void;
}

/** Starts `node --import tsx <script>` from the repository root with the given environment (added to this one's). */
export function startTsx(
  name: string,
  script: string,
  env: Record<string, string>,
  onLine?: (line: string) => void,
): Proc {
  // node --import tsx (not the tsx CLI, which runs node as a child: a SIGKILL would orphan it).
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const watchers = new Set<{ re: RegExp; resolve: (m: RegExpMatchArray) => void }>();
  let exited: number | null | undefined;
  const exitWaiters: (() => void)[] = [];
  const feed = (chunk: Buffer, buf: { rest: string }) => {
    const parts = (buf.rest + chunk.toString('utf8')).split('\n');
    buf.rest = parts.pop() ?? '';
    for (const line of parts) {
      lines.push(line);
      onLine?.(line);
      for (const w of watchers) {
        const m = line.match(w.re);
        if (m) {
          watchers.delete(w);
          w.resolve(m);
        }
      }
    }
  };
  const out = { rest: '' };
  const err = { rest: '' };
  child.stdout?.on('data', (c: Buffer) => feed(c, out));
  child.stderr?.on('data', (c: Buffer) => feed(c, err));
  child.on('exit', (code) => {
    exited = code;
    for (const w of exitWaiters.splice(0)) w();
  });
  return {
    name,
    child,
    lines,
    waitFor(re, timeoutMs) {
      for (const line of lines) {
        const m = line.match(re);
        if (m) return Promise.resolve(m);
      }
      return new Promise((resolve, reject) => {
        const w = { re, resolve };
        watchers.add(w);
        const t = setTimeout(() => {
          watchers.delete(w);
          reject(
            new Error(
              `${name}: no ${re} within ${timeoutMs} ms; last output:\n${lines.slice(-15).join('\n')}`,
            ),
          );
        }, timeoutMs);
        child.once('exit', (code) => {
          if (!watchers.has(w)) return;
          watchers.delete(w);
          clearTimeout(t);
          reject(new Error(`${name} exited (${code}) before ${re}; output:\n${lines.slice(-20).join('\n')}`));
        });
        const orig = w.resolve;
        w.resolve = (m) => {
          clearTimeout(t);
          orig(m);
        };
      });
    },
    stop(signal = 'SIGTERM', graceMs = 10_000) {
      if (exited !== undefined) return Promise.resolve();
      return new Promise<void>((resolve) => {
        exitWaiters.push(resolve);
        child.kill(signal);
        const t = setTimeout(() => child.kill('SIGKILL'), graceMs);
        t.unref();
      });
    },
    kill() {
      if (exited === undefined) child.kill('SIGKILL');
    },
  };
}

export interface SystemOptions {
  dataDir: string;
  /** 0 = free ports. */
  centrePort: number;
  stationPort: number;
  laneControlPort: number;
  /** Real broker; unset → the station's embedded broker on `mqttPort`. */
  mqttUrl?: string;
  mqttPort?: number;
  topicRoot?: string;
  /**
   * The station's route to the centre (e.g. through a fault proxy); default the centre's own URL. A proxy
   * gets the station's TEST credentials to carry its requests on to the centre over mutual TLS.
   */
  centreUrlForStation?: (
    centreUrl: string,
    stationTls: { ca: string; cert: string; key: string },
  ) => Promise<string> | string;
  stationEnv?: Record<string, string>;
  centreEnv?: Record<string, string>;
  /** Extra TEST card-list entries at the centre (`card:type,…`). */
  seedCardEntries?: string;
  onLine?: (proc: string, line: string) => void;
  /** Which station entry point: the wired main (default) or an alternative. */
  stationScript?: string;
  /** HTTPS from the station's own CA (the demo); plain HTTP otherwise (tests where TLS is not the subject). */
  stationTls?: boolean;
  /**
   * Also start the reference payment platform (apps/paygate: loopback, its own TEST CA, state kept in the data
   * directory) on this port (0 = free) and give the station its TEST merchant; unset → no paygate, QR refused.
   */
  paygatePort?: number;
  /** Added to the paygate's environment (e.g. PAYGATE_ADMIN_TOKEN for its TEST control API in tests). */
  paygateEnv?: Record<string, string>;
}

/** The running paygate and the station's account with it (TEST merchant of apps/paygate/src/fixtures). */
export interface RunningPaygate {
  url: string;
  caFile: string;
  merchantId: string;
}

export interface RunningSystem {
  centreUrl: string;
  /** `fetch` to the centre over mutual TLS with the launcher's TEST publisher certificate. */
  centreFetch: typeof fetch;
  stationUrl: string;
  /** The station CA certificate file when the station serves HTTPS (what a phone is told to trust). */
  stationCaFile: string | undefined;
  /** `fetch` that trusts the station CA. */
  stationFetch: typeof fetch;
  laneSimUrl: string;
  mqttUrl: string;
  stationId: string;
  laneId: string;
  /** Undefined unless `paygatePort` was given. */
  paygate: RunningPaygate | undefined;
  procs: { centre: Proc; station: Proc; laneSim: Proc; paygate?: Proc };
  /** Kills the station (SIGKILL: no orderly shutdown) and starts it again on the same data. */
  restartStation(): Promise<void>;
  stop(): Promise<void>;
}

const READY_CENTRE = /Server listening at (https?:\/\/[^"\s]+)/;
const READY_STATION = /"event":"ready".*"port":(\d+)/;
const READY_LANE = /车道模拟器控制口：(http:\/\/\S+)/;
const READY_PAYGATE = /"event":"ready".*"address":"(https:\/\/[^"]+)"/;

/** Starts a server process and waits for its ready line; gives the line's match, or stops it and throws. */
async function startReady(
  name: string,
  script: string,
  env: Record<string, string>,
  ready: RegExp,
  onLine: (line: string) => void,
): Promise<{ proc: Proc; ready: RegExpMatchArray }> {
  const proc = startTsx(name, script, env, onLine);
  try {
    return { proc, ready: await proc.waitFor(ready, 60_000) };
  } catch (e) {
    await proc.stop();
    throw e;
  }
}

/**
 * Starts centre (→ paygate when asked) → station (demo seed, pointing at the centre) → lane simulator, each
 * ready before the next.
 */
export async function startSystem(o: SystemOptions): Promise<RunningSystem> {
  const on = (p: string) => (line: string) => o.onLine?.(p, line);
  const link = await prepareCentreLink(`${o.dataDir}/centre`);
  const started = await startReady(
    'centre',
    'apps/centre/src/main.ts',
    {
      PORT: String(o.centrePort),
      DATA_DIR: `${o.dataDir}/centre`,
      SEED_CARD_LIST_SIZE: '2000',
      LIST_DELTA_MINUTES: '0',
      LOG_LEVEL: 'info',
      ...(o.seedCardEntries ? { SEED_CARD_ENTRIES: o.seedCardEntries } : {}),
      ...link.centreEnv,
      ...o.centreEnv,
    },
    READY_CENTRE,
    on('centre'),
  );
  const centre = started.proc;
  const procs: Partial<RunningSystem['procs']> = { centre };
  const stopAll = async () => {
    await Promise.all([procs.laneSim?.stop(), procs.station?.stop(), procs.paygate?.stop()]);
    await centre.stop();
  };
  try {
    const centreUrl = started.ready[1]!;
    const paygate = o.paygatePort === undefined ? undefined : await startPaygate(o, procs, on('paygate'));
    useFetchFor(centreUrl, link.fetch);
    const centreTrust = await link.stationEnv(centreUrl);
    const forStation = o.centreUrlForStation
      ? await o.centreUrlForStation(centreUrl, {
          ca: readFileSync(centreTrust.CENTRE_CA_FILE, 'utf8'),
          cert: readFileSync(centreTrust.CENTRE_CLIENT_CERT_FILE, 'utf8'),
          key: readFileSync(centreTrust.CENTRE_CLIENT_KEY_FILE, 'utf8'),
        })
      : centreUrl;
    // The embedded broker admits only accounts (scripts/sim/mqtt-accounts.ts); a given broker has its own.
    const mqttAccounts = o.mqttUrl ? undefined : demoMqttAccounts(`${o.dataDir}/mqtt`);
    const stationEnv = {
      PORT: String(o.stationPort),
      DATA_DIR: `${o.dataDir}/station`,
      CENTRE_URL: forStation,
      ...centreTrust,
      STATION_SEED: 'demo',
      STATION_KDF: 'test',
      STATION_TLS: o.stationTls ? 'on' : 'off',
      ...(o.mqttUrl ? { MQTT_URL: o.mqttUrl } : { MQTT_PORT: String(o.mqttPort ?? 0) }),
      ...mqttAccounts?.stationEnv,
      ...(o.topicRoot ? { TOPIC_ROOT: o.topicRoot } : {}),
      LOG_LEVEL: 'info',
      ...paygate?.stationEnv,
      ...o.stationEnv,
    };
    const station = startTsx(
      'station',
      o.stationScript ?? 'apps/station/src/main.ts',
      stationEnv,
      on('station'),
    );
    procs.station = station;
    const ready = await station.waitFor(READY_STATION, 60_000);
    const readyLine = JSON.parse(ready.input ?? '{}') as { mqtt?: unknown; tls?: { caFile?: string } };
    const stationCaFile = readyLine.tls?.caFile;
    const stationUrl = `${stationCaFile ? 'https' : 'http'}://127.0.0.1:${ready[1]}`;
    const fetch = fetchTrusting(stationCaFile ? readFileSync(stationCaFile, 'utf8') : undefined);
    const mqttUrl = o.mqttUrl ?? readyLine.mqtt;
    if (typeof mqttUrl !== 'string') throw new Error('station did not report its MQTT broker');
    // The demo station and lane, as seeded (read back through the admin API).
    const admin = await fetch(`${stationUrl}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'demo-admin', password: 'demo-admin-TEST' }),
    }).then((r) => r.json() as Promise<{ token: string }>);
    const cfg = await fetch(`${stationUrl}/config/station`, {
      headers: { authorization: `Bearer ${admin.token}` },
    }).then((r) => r.json() as Promise<{ stationId: string }>);
    const lanes = await fetch(`${stationUrl}/config/lanes`, {
      headers: { authorization: `Bearer ${admin.token}` },
    }).then(
      (r) =>
        r.json() as Promise<
          { id: string; handheldEnabled: boolean }[] | { lanes: { id: string; handheldEnabled: boolean }[] }
        >,
    );
    const laneList = Array.isArray(lanes) ? lanes : lanes.lanes;
    const laneId = laneList.find((l) => l.handheldEnabled)?.id ?? laneList[0]?.id;
    if (!laneId) throw new Error('the demo station has no lane');
    const laneSimAccounts = await mqttAccounts?.provision(
      cfg.stationId,
      laneList.map((l) => l.id),
      o.topicRoot,
    );
    const laneSim = startTsx(
      'lane-sim',
      'apps/lane-sim/src/main.ts',
      {
        MQTT_URL: mqttUrl,
        STATION_ID: cfg.stationId,
        LANE_IDS: laneList.map((l) => l.id).join(','),
        CONTROL_PORT: String(o.laneControlPort),
        HEARTBEAT_MS: '1000',
        MOTION_MS: '300',
        CLOSE_DELAY_MS: '300',
        ...(o.topicRoot ? { TOPIC_ROOT: o.topicRoot } : {}),
        ...laneSimAccounts,
      },
      on('lane-sim'),
    );
    procs.laneSim = laneSim;
    const laneSimUrl = (await laneSim.waitFor(READY_LANE, 60_000))[1]!;
    const system: RunningSystem = {
      centreUrl,
      centreFetch: link.fetch,
      stationUrl,
      stationCaFile,
      stationFetch: fetch,
      laneSimUrl,
      mqttUrl,
      stationId: cfg.stationId,
      laneId,
      paygate: paygate?.running,
      procs: procs as RunningSystem['procs'],
      stop: stopAll,
      async restartStation() {
        await system.procs.station.stop('SIGKILL');
        const again = startTsx(
          'station',
          o.stationScript ?? 'apps/station/src/main.ts',
          { ...stationEnv, PORT: new URL(system.stationUrl).port },
          on('station'),
        );
        procs.station = again;
        system.procs.station = again;
        await again.waitFor(READY_STATION, 60_000);
      },
    };
    return system;
  } catch (e) {
    await stopAll();
    throw e;
  }
}

/** The paygate with its TEST defaults, and the station settings for the first TEST merchant. */
async function startPaygate(
  o: SystemOptions,
  procs: Partial<RunningSystem['procs']>,
  onLine: (line: string) => void,
): Promise<{ running: RunningPaygate; stationEnv: Record<string, string> }> {
  const dir = `${o.dataDir}/paygate`;
  const { proc, ready } = await startReady(
    'paygate',
    'apps/paygate/src/main.ts',
    {
      PORT: String(o.paygatePort ?? 0),
      HOST: '127.0.0.1',
      DATA_DIR: dir,
      PAYGATE_DATA_FILE: `${dir}/state.json`,
      PAYGATE_TLS_DIR: `${dir}/tls`,
      LOG_LEVEL: 'info',
      ...o.paygateEnv,
    },
    READY_PAYGATE,
    onLine,
  );
  procs.paygate = proc;
  const merchant = TEST_MERCHANTS[0];
  if (!merchant) throw new Error('apps/paygate has no TEST merchant');
  const running = { url: ready[1]!, caFile: `${dir}/tls/ca.cert.pem`, merchantId: merchant.id };
  return {
    running,
    stationEnv: {
      PAYGATE_URL: running.url,
      PAYGATE_MERCHANT_ID: merchant.id,
      PAYGATE_MERCHANT_KEY: merchant.key,
      PAYGATE_CA_FILE: running.caFile,
    },
  };
}
