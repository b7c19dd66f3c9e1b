import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { prepareCentreLink } from '../../../scripts/sim/centre-link';
import { useFetchFor } from '../../../scripts/sim/http';
import { type FaultProxy, startFaultProxy } from '../../../tests/e2e/fault-proxy';
import { DayPaygate } from './paygate';
import { DAY_PAYGATE_TIMEOUT_MS } from './payment-faults';
import { ChildApp, freePort, httpOk, sleep } from './processes';

export type LinkMode = 'up' | 'down' | 'slow';

type CentreLink = Awaited<ReturnType<typeof prepareCentreLink>>;

/** A restart that fails (e.g. a slow machine) is tried again a few times before the day gives up. */
export async function startWithRetry(app: ChildApp, attempts = 4): Promise<void> {
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

/** The station entry point (relative to the tree the apps run from); PLAZA_DAY_STATION_SCRIPT overrides. */
function stationScript(): string {
  return process.env.PLAZA_DAY_STATION_SCRIPT || 'apps/station/src/main.ts';
}

export interface AppsOptions {
  runDir: string;
  /** Where the apps' code runs from (a snapshot of HEAD, or the working tree). */
  treeRoot: string;
  stationDbUrl?: string | undefined;
  centreDbUrl?: string | undefined;
  /** Card numbers the centre seeds into its card status list. */
  listedCards: readonly string[];
  seed: number;
  /** Start the reference payment platform too and give the station its TEST merchant (a mixed day). */
  paygate?: boolean;
}

/** CPU time of the driver and of each child at one moment, to measure the traffic's share. */
interface CpuMark {
  driver: NodeJS.CpuUsage;
  station: number;
  centre: number;
  lane: number;
  paygate: number;
}

/**
 * The real processes of a plaza day: the centre, the station (reaching the centre through the e2e fault
 * proxy, whose link the fault schedule takes down or slows) and, once the station has its lanes, the lane
 * controller on MQTT.
 */
export class AppsUnderTest {
  readonly centre: ChildApp;
  readonly station: ChildApp;
  laneSim: ChildApp | undefined;
  /** The payment platform of a mixed day (undefined on an ETC-only day). */
  readonly paygate: DayPaygate | undefined;
  readonly centreUrl: string;
  readonly stationUrl: string;
  readonly mqttUrl = process.env.MQTT_URL ?? 'mqtt://127.0.0.1:1883';
  readonly topicRoot: string;
  private readonly link: { mode: LinkMode; latencyMs: number } = { mode: 'up', latencyMs: 0 };
  private proxy: FaultProxy | undefined;
  /** Station kills one at a time (the schedule's and those during a payment). */
  private killLock: Promise<void> = Promise.resolve();

  private constructor(
    private readonly o: AppsOptions,
    readonly centreLink: CentreLink,
    readonly ports: { centre: number; station: number; control: number; paygate: number },
  ) {
    this.centreUrl = `https://127.0.0.1:${ports.centre}`;
    this.paygate = o.paygate ? new DayPaygate(o.runDir, ports.paygate, o.treeRoot) : undefined;
    this.stationUrl = `http://127.0.0.1:${ports.station}`;
    this.topicRoot = `plazaday-${o.seed}-${randomBytes(3).toString('hex')}`;
    this.centre = new ChildApp(
      'centre',
      'apps/centre/src/main.ts',
      {
        PORT: String(ports.centre),
        HOST: '127.0.0.1',
        DATA_DIR: join(o.runDir, 'centre'),
        SEED_CARD_LIST_SIZE: '2000',
        SEED_CARD_ENTRIES: o.listedCards.map((c) => `${c}:1`).join(','),
        LIST_DELTA_MINUTES: '0',
        LOG_LEVEL: 'warn',
        ...centreLink.centreEnv,
        ...(o.centreDbUrl ? { DATABASE_URL: o.centreDbUrl } : {}),
      },
      join(o.runDir, 'centre.log'),
      () => httpOk(`${this.centreUrl}/healthz`),
      o.treeRoot,
    );
    this.station = new ChildApp(
      'station',
      stationScript(),
      {
        PORT: String(ports.station),
        HOST: '127.0.0.1',
        DATA_DIR: join(o.runDir, 'station'),
        STATION_SEED: 'demo',
        STATION_KDF: 'test',
        // TLS is not what the plaza day measures; plain HTTP is asked for explicitly.
        STATION_TLS: 'off',
        MQTT_URL: this.mqttUrl,
        TOPIC_ROOT: this.topicRoot,
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
        // [P] a platform answer is given up on after 4 s (the e2e tests' figure), so a slow answer can pass it.
        PAYGATE_TIMEOUT_MS: String(DAY_PAYGATE_TIMEOUT_MS),
        ...(o.stationDbUrl ? { DATABASE_URL: o.stationDbUrl } : {}),
      },
      join(o.runDir, 'station.log'),
      () => httpOk(`${this.stationUrl}/healthz`),
      o.treeRoot,
    );
  }

  /** Ports chosen and the centre's mutual TLS prepared (its CA, a TEST publisher certificate); nothing runs yet. */
  static async prepare(o: AppsOptions): Promise<AppsUnderTest> {
    const ports = {
      centre: await freePort(),
      station: await freePort(),
      control: await freePort(),
      paygate: o.paygate ? await freePort() : 0,
    };
    const centreLink = await prepareCentreLink(join(o.runDir, 'centre'));
    const apps = new AppsUnderTest(o, centreLink, ports);
    useFetchFor(apps.centreUrl, centreLink.fetch);
    return apps;
  }

  /** The centre, then the fault proxy in front of it, then the station pointed at the proxy. */
  async startCentreAndStation(
    log: (line: string) => void,
    /** What the centre must hold before the station's first sync (the day's ban list). */
    beforeStation: () => Promise<void> = async () => {},
  ): Promise<void> {
    log(`centre: starting on ${this.ports.centre}`);
    log(`centre ready in ${await this.centre.start()} ms`);
    await beforeStation();
    if (this.paygate) {
      log(`paygate ready in ${await this.paygate.app.start()} ms (${this.paygate.url}, TEST merchant)`);
      Object.assign(this.station.env, this.paygate.stationEnv());
    }
    const stationTrust = await this.centreLink.stationEnv(this.centreUrl);
    // Down = every request reset, slow = every request held back.
    this.proxy = await startFaultProxy(
      this.centreUrl,
      () =>
        this.link.mode === 'down'
          ? 'reset'
          : this.link.mode === 'slow'
            ? { delayMs: this.link.latencyMs }
            : 'pass',
      {
        ca: readFileSync(stationTrust.CENTRE_CA_FILE, 'utf8'),
        cert: readFileSync(stationTrust.CENTRE_CLIENT_CERT_FILE, 'utf8'),
        key: readFileSync(stationTrust.CENTRE_CLIENT_KEY_FILE, 'utf8'),
      },
    );
    Object.assign(this.station.env, stationTrust);
    this.station.env.CENTRE_URL = this.proxy.url;
    log(`station: starting on ${this.ports.station} (centre through the fault proxy ${this.proxy.url})`);
    log(`station ready in ${await this.station.start()} ms`);
  }

  /** The lane controller for the station's lanes, on the day's own MQTT topic root. */
  async startLaneSim(
    stationId: string,
    lanes: readonly string[],
    log: (line: string) => void,
  ): Promise<void> {
    this.laneSim = new ChildApp(
      'lane-sim',
      'apps/lane-sim/src/main.ts',
      {
        MQTT_URL: this.mqttUrl,
        STATION_ID: stationId,
        LANE_IDS: lanes.join(','),
        TOPIC_ROOT: this.topicRoot,
        CONTROL_PORT: String(this.ports.control),
        HEARTBEAT_MS: '1000',
        MOTION_MS: '50',
        CLOSE_DELAY_MS: '50',
      },
      join(this.o.runDir, 'lane-sim.log'),
      () => httpOk(`http://127.0.0.1:${this.ports.control}/lanes`),
      this.o.treeRoot,
    );
    log(
      `lane-sim ready in ${await this.laneSim.start()} ms (MQTT ${this.mqttUrl}, topic root ${this.topicRoot})`,
    );
  }

  /**
   * SIGKILL of the station, a pause of `downMs`, then its restart on the same port and database; kills queue
   * behind each other, so two never race for the port.
   */
  killStation(downMs: number): Promise<void> {
    const run = this.killLock.then(async () => {
      await this.station.stop('SIGKILL');
      await sleep(downMs);
      await startWithRetry(this.station);
    });
    this.killLock = run.catch(() => {});
    return run;
  }

  setLink(mode: LinkMode, latencyMs = 0): void {
    this.link.mode = mode;
    this.link.latencyMs = latencyMs;
  }

  /** After the faults: the link up, and every process that a fault left down running again. */
  async restoreAll(): Promise<void> {
    this.setLink('up');
    if (!this.station.running) await startWithRetry(this.station);
    if (this.laneSim && !this.laneSim.running) await startWithRetry(this.laneSim);
  }

  cpuMark(): CpuMark {
    return {
      driver: process.cpuUsage(),
      station: this.station.cpuMs(),
      centre: this.centre.cpuMs(),
      lane: this.laneSim?.cpuMs() ?? 0,
      paygate: this.paygate?.app.cpuMs() ?? 0,
    };
  }

  /** CPU seconds per process since `mark`. */
  cpuSince(mark: CpuMark): Record<string, number> {
    const d = process.cpuUsage(mark.driver);
    return {
      'driver (handhelds, cards, fault injection)': (d.user + d.system) / 1e6,
      station: (this.station.cpuMs() - mark.station) / 1000,
      centre: (this.centre.cpuMs() - mark.centre) / 1000,
      'lane-sim': ((this.laneSim?.cpuMs() ?? 0) - mark.lane) / 1000,
      ...(this.paygate ? { paygate: (this.paygate.app.cpuMs() - mark.paygate) / 1000 } : {}),
    };
  }

  async stopAll(): Promise<void> {
    await Promise.all([this.laneSim?.stop('SIGTERM'), this.station.stop('SIGTERM')]);
    await this.centre.stop('SIGTERM');
    await this.paygate?.app.stop('SIGTERM');
    await this.proxy?.close();
    for (const a of [this.centre, this.station, this.laneSim, this.paygate?.app]) a?.close();
  }
}
