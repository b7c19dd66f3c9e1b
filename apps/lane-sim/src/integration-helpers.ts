import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { laneIdentity, stationIdentity, usernameOf } from '@tollpad/linkage';
import {
  LaneLinkClient,
  type LaneLinkClientOptions,
  type MqttCredentialFiles,
  passwordFileTable,
  startEmbeddedBroker,
  writeMqttCredentialFiles,
} from '@tollpad/linkage/node';
import type { TlsIdentity } from '@tollpad/server-kit';
import type { LaneSimConfig } from './config';
import { type LaneSim, startLaneSim } from './lane-sim';

/** Shared by the MQTT integration tests (TEST data: synthetic station and lanes). */
export const STATION = 'G0022370010030';
export const LANE_A = 'G00223700100302010910';
export const LANE_B = 'G00223700100302010920';
export const MOSQUITTO_URL = 'mqtt://127.0.0.1:1883';

/** A topic root of its own per run, so parallel runs on one broker never see each other. */
export function uniqueRoot(): string {
  return `test-${randomUUID().slice(0, 12)}/tollpad`;
}

export function tradeId(laneId: string, serial: number): string {
  return `${laneId}2024011715${String(serial).padStart(6, '0')}`;
}

export function simConfig(mqttUrl: string, topicRoot: string, accounts?: TestAccounts): LaneSimConfig {
  return {
    ...(accounts ? { lanePasswords: accounts.lanePasswords } : {}),
    ...(accounts?.ca !== undefined ? { ca: accounts.ca } : {}),
    mqttUrl,
    embeddedPort: 0,
    stationId: STATION,
    laneIds: [LANE_A, LANE_B],
    topicRoot,
    heartbeatMs: 1_000,
    controlPort: 0,
    motionMs: 20,
    closeDelayMs: 20,
    maxCommandAgeMs: 30_000,
    reconnectPeriodMs: 200,
  };
}

/** One run's TEST accounts: the station and lanes A and B, with their files in a temporary folder. */
export interface TestAccounts {
  readonly dir: string;
  readonly files: MqttCredentialFiles;
  readonly station: { username: string; password: string };
  readonly lanePasswords: ReadonlyMap<string, string>;
  /** CA (PEM) for an mqtts:// broker, when the run uses TLS. */
  readonly ca?: string;
  cleanup(): void;
}

export async function testAccounts(topicRoot: string): Promise<TestAccounts> {
  const dir = mkdtempSync(join(tmpdir(), 'tollpad-mqtt-TEST-'));
  const files = await writeMqttCredentialFiles(dir, {
    topicRoot,
    stationId: STATION,
    laneIds: [LANE_A, LANE_B],
  });
  if (!files.ok) throw files.error;
  const password = (username: string) =>
    files.value.credentials.find((c) => c.username === username)!.password;
  const stationUser = usernameOf(stationIdentity(STATION));
  return {
    dir,
    files: files.value,
    station: { username: stationUser, password: password(stationUser) },
    lanePasswords: new Map([LANE_A, LANE_B].map((l) => [l, password(usernameOf(laneIdentity(l)))])),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface OwnMosquitto {
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * A Mosquitto of the test's own on a free loopback port: no anonymous clients, the password and ACL files
 * rendered from the linkage ACL, optionally TLS (then the URL is mqtts://).
 */
async function startOwnMosquitto(
  accounts: TestAccounts,
  tls?: { keyFile: string; certFile: string },
): Promise<OwnMosquitto> {
  const port = await freePort();
  const conf = join(accounts.dir, 'mosquitto.conf');
  writeFileSync(
    conf,
    [
      'per_listener_settings false',
      'persistence false',
      'log_dest stderr',
      'log_type error',
      // Run as root (tests in CI), Mosquitto would drop to its own user, which cannot read our 0600 files.
      ...(process.getuid?.() === 0 ? ['user root'] : []),
      `listener ${port} 127.0.0.1`,
      ...(tls ? [`keyfile ${tls.keyFile}`, `certfile ${tls.certFile}`] : []),
      'allow_anonymous false',
      `password_file ${accounts.files.passwordFile}`,
      `acl_file ${accounts.files.aclFile}`,
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn('mosquitto', ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  for (let i = 0; !(await portOpen(port)); i++) {
    if (i > 100 || child.exitCode !== null) throw new Error(`mosquitto did not start: ${stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url: `${tls ? 'mqtts' : 'mqtt'}://127.0.0.1:${port}`,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** A broker of a test's own, admitting only one run's accounts within the linkage ACL. */
export interface TestBroker {
  readonly url: string;
  stop(): Promise<void>;
}
export type StartBroker = (root: string, accounts: TestAccounts) => Promise<TestBroker>;

/**
 * The brokers the MQTT security tests run on, each with the same accounts and ACL: the embedded one (aedes)
 * and a Mosquitto of the test's own. With `tls` (a getter: the TEST identity is made in a `beforeAll`),
 * both speak mqtts:// with that identity.
 */
export function testBrokers(tls?: () => TlsIdentity): [string, StartBroker][] {
  return [
    [
      tls ? 'embedded broker (aedes over tls.createServer)' : 'embedded broker (aedes)',
      async (root, accounts) => {
        const passwords = passwordFileTable(accounts.files.passwordFile);
        if (!passwords.ok) throw passwords.error;
        const b = await startEmbeddedBroker({
          port: 0,
          access: { topicRoot: root, passwords: passwords.value },
          ...(tls ? { tls: tls() } : {}),
        });
        if (!b.ok) throw b.error;
        return { url: b.value.url, stop: () => b.value.close() };
      },
    ],
    [
      tls ? 'Mosquitto (keyfile + certfile)' : 'Mosquitto (password_file + acl_file)',
      (_root, accounts) => {
        if (!tls) return startOwnMosquitto(accounts);
        const keyFile = join(accounts.dir, 'broker.TEST.key.pem');
        const certFile = join(accounts.dir, 'broker.TEST.cert.pem');
        writeFileSync(keyFile, tls().key, { mode: 0o600 });
        writeFileSync(certFile, tls().cert);
        return startOwnMosquitto(accounts, { keyFile, certFile });
      },
    ],
  ];
}

/** The lane simulator (lanes A and B) and the station's lane client on one broker. */
export interface LinkedLanes {
  readonly sim: LaneSim;
  readonly station: LaneLinkClient;
  stop(): Promise<void>;
}

/**
 * Starts the lane simulator and the station's lane client on `url` as `accounts` (their CA `ca` when the
 * broker speaks TLS), and waits until both lanes are linked and CLOSED.
 */
export async function linkLanes(
  url: string,
  root: string,
  o: {
    accounts: TestAccounts;
    ca?: string;
    log?: (line: string) => void;
    client?: Partial<LaneLinkClientOptions>;
  },
): Promise<LinkedLanes> {
  const ca = o.ca === undefined ? {} : { ca: o.ca };
  const started = await startLaneSim(simConfig(url, root, { ...o.accounts, ...ca }), o.log ?? (() => {}));
  if (!started.ok) throw started.error;
  const sim = started.value;
  const client = LaneLinkClient.create({
    url,
    stationId: STATION,
    topicRoot: root,
    tickMs: 200,
    ...ca,
    ...o.client,
    ...o.accounts.station,
  });
  if (!client.ok) {
    await sim.stop();
    throw client.error;
  }
  const station = client.value;
  const stop = async () => {
    await station.close();
    await sim.stop();
  };
  try {
    await eventually('both lanes linked and CLOSED', () =>
      [LANE_A, LANE_B].every((l) => station.lane(l)?.monitorState === 'CLOSED'),
    );
  } catch (e) {
    await stop();
    throw e;
  }
  return { sim, station, stop };
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = tcpConnect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** Starts the machine's Mosquitto if it is not listening yet. */
export async function ensureMosquitto(): Promise<void> {
  if (await portOpen(1883)) return;
  spawnSync('mosquitto', ['-d', '-c', '/etc/mosquitto/mosquitto.conf'], { stdio: 'ignore' });
  for (let i = 0; i < 50; i++) {
    if (await portOpen(1883)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('Mosquitto is not listening on 127.0.0.1:1883');
}

/** Polls until `probe` returns a value; fails with `what` after the bound (a bound, not a timing assertion). */
export async function eventually<T>(
  what: string,
  probe: () => T | undefined | false,
  boundMs = 8_000,
): Promise<T> {
  const until = Date.now() + boundMs;
  for (;;) {
    const v = probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export async function post(url: string, body: unknown): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
  });
  return { status: res.status, body: (await res.json()) as unknown };
}
