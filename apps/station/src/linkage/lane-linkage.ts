import { type ExitRecord, parseVehicleId } from '@tollpad/domain';
import {
  type BarrierResult,
  DEFAULT_TOPIC_ROOT,
  type LaneLinkSnapshot,
  type LinkageError,
  stationIdentity,
  usernameOf,
  type VehicleEvent,
} from '@tollpad/linkage';
import {
  type EmbeddedBroker,
  type EmbeddedBrokerTls,
  LaneLinkClient,
  type PasswordTable,
  startEmbeddedBroker,
} from '@tollpad/linkage/node';

export interface LinkageLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface LaneLinkageOptions {
  stationId: string;
  /** A real broker (Mosquitto); unset → the embedded broker on `embeddedPort`. */
  mqttUrl?: string;
  /** Embedded broker port (default 1883; 0 picks a free one). */
  embeddedPort?: number;
  /** The embedded broker's accounts (username → Mosquitto-format hash); without them none is started. */
  brokerPasswords?: PasswordTable;
  brokerTls?: EmbeddedBrokerTls;
  /** The station's own account; the username defaults to `station-{stationId}`. */
  username?: string;
  password?: string;
  /** CA (PEM) an mqtts:// broker's certificate must chain to. */
  ca?: string;
  topicRoot?: string;
  /** How long a captured plate stays offered to the handheld. [P] 5 min */
  prefillTtlMs?: number;
  /** Attempts to open while the lane answers BARRIER_BUSY (previous vehicle still under the arm). [P] */
  busyRetries?: number;
  busyRetryMs?: number;
  resultTimeoutMs?: number;
  now?: () => number;
  log?: LinkageLog;
}

export interface CapturedVehicle {
  detectionId: string;
  plate: string;
  plateColour: number;
  imageRef: string;
  confidence?: number;
  at: string;
}

/** The last barrier command the station sent to a lane and how it ended (for the monitor). */
export interface BarrierCommandLog {
  tradeId: string;
  outcome: BarrierResult['outcome'] | 'failed';
  code?: string;
  reason?: string;
  at: string;
}

/** A committed exit record as the linkage needs it. */
export interface CommittedRecord {
  tradeId: string;
  laneId: string;
  recordJson: string;
}

const SILENT: LinkageLog = { info() {}, warn() {} };

/**
 * The station side of lane linkage: after a record commits, the fee goes to the lane's display and the
 * barrier is told to open for that trade ID (the lane itself refuses another lane's trade IDs and
 * repeats). The camera's captured plate is kept per lane as a prefill for the handheld, and each lane's
 * monitor state (UNKNOWN whenever the link is not confirmed) is exposed to the monitor.
 */
export class LaneLinkage {
  private readonly captured = new Map<string, CapturedVehicle>();
  private readonly commands = new Map<string, BarrierCommandLog>();
  private readonly inflight = new Set<Promise<void>>();
  private readonly now: () => number;
  private readonly log: LinkageLog;

  private constructor(
    readonly client: LaneLinkClient,
    readonly broker: EmbeddedBroker | undefined,
    readonly url: string,
    private readonly opts: LaneLinkageOptions,
  ) {
    this.now = opts.now ?? Date.now;
    this.log = opts.log ?? SILENT;
    client.on('vehicle', (laneId, ev) => this.onVehicle(laneId, ev));
    client.on('invalid', (topic: string, e: LinkageError) =>
      this.log.warn({ topic, code: e.code, reason: e.reason }, 'linkage: message refused'),
    );
    client.on('refused', (e: LinkageError) =>
      this.log.warn({ code: e.code, reason: e.reason }, 'linkage: the MQTT broker refused the station'),
    );
    client.on('lane', (s: LaneLinkSnapshot) =>
      this.log.info({ laneId: s.laneId, link: s.link, state: s.monitorState }, 'linkage: lane state'),
    );
  }

  static async start(opts: LaneLinkageOptions): Promise<LaneLinkage> {
    let broker: EmbeddedBroker | undefined;
    let url = opts.mqttUrl;
    const log = opts.log ?? SILENT;
    if (!url) {
      const port = opts.embeddedPort ?? 1883;
      url = `${opts.brokerTls ? 'mqtts' : 'mqtt'}://127.0.0.1:${port}`;
      if (!opts.brokerPasswords) {
        log.warn({ url }, 'MQTT_BROKER_PASSWORD_FILE not set: no embedded broker, using the one at this URL');
      } else {
        const b = await startEmbeddedBroker({
          port,
          access: { topicRoot: opts.topicRoot ?? DEFAULT_TOPIC_ROOT, passwords: opts.brokerPasswords },
          ...(opts.brokerTls ? { tls: opts.brokerTls } : {}),
          onRefused: (clientId, e) =>
            log.warn({ clientId, code: e.code, reason: e.reason }, 'linkage: MQTT client refused'),
        });
        // Port taken: a broker (the lane simulator's, or Mosquitto) is already there; use it.
        if (b.ok) {
          broker = b.value;
          url = b.value.url;
        }
      }
    }
    const client = LaneLinkClient.create({
      url,
      stationId: opts.stationId,
      ...(opts.topicRoot ? { topicRoot: opts.topicRoot } : {}),
      ...(opts.resultTimeoutMs ? { resultTimeoutMs: opts.resultTimeoutMs } : {}),
      reconnectPeriodMs: 1_000,
      ...(opts.password !== undefined
        ? { username: opts.username ?? usernameOf(stationIdentity(opts.stationId)), password: opts.password }
        : {}),
      ...(opts.ca !== undefined ? { ca: opts.ca } : {}),
    });
    if (!client.ok) {
      await broker?.close();
      throw new Error(`lane linkage: ${client.error.code} ${client.error.reason}`);
    }
    return new LaneLinkage(client.value, broker, url, opts);
  }

  /** Call after a record committed (never before): fee display, then open the barrier. Never throws. */
  recordCommitted(r: CommittedRecord): Promise<void> {
    const p = this.serve(r).catch((e: unknown) =>
      this.log.warn({ tradeId: r.tradeId, err: String(e) }, 'linkage: serving a committed record failed'),
    );
    this.inflight.add(p);
    void p.finally(() => this.inflight.delete(p));
    return p;
  }

  /** The captured plate offered to the handheld for this lane (fresh ones only). */
  prefill(laneId: string): CapturedVehicle | null {
    const c = this.captured.get(laneId);
    if (!c) return null;
    if (this.now() - Date.parse(c.at) > (this.opts.prefillTtlMs ?? 300_000)) {
      this.captured.delete(laneId);
      return null;
    }
    return c;
  }

  lane(laneId: string): LaneLinkSnapshot | undefined {
    return this.client.lane(laneId);
  }

  lastCommand(laneId: string): BarrierCommandLog | null {
    return this.commands.get(laneId) ?? null;
  }

  async stop(): Promise<void> {
    await Promise.allSettled([...this.inflight]);
    await this.client.close();
    await this.broker?.close();
  }

  private async serve(r: CommittedRecord): Promise<void> {
    const rec = JSON.parse(r.recordJson) as ExitRecord;
    const vid = parseVehicleId(rec.vehicleId);
    if (vid.ok) {
      const shown = await this.client.showDisplay(r.laneId, {
        kind: 'fee',
        plate: vid.value.plate,
        plateColour: vid.value.colour,
        amountFen: rec.transFee,
        balanceFen: rec.postBalance,
        message: '一路顺风',
        tradeId: r.tradeId,
      });
      if (!shown.ok)
        this.log.warn({ tradeId: r.tradeId, code: shown.error.code }, 'linkage: display not sent');
    }
    const retries = this.opts.busyRetries ?? 5;
    for (let attempt = 0; ; attempt++) {
      const res = await this.client.openBarrier(r.laneId, r.tradeId);
      const at = new Date(this.now()).toISOString();
      if (!res.ok) {
        this.commands.set(r.laneId, {
          tradeId: r.tradeId,
          outcome: 'failed',
          code: res.error.code,
          reason: res.error.reason,
          at,
        });
        this.log.warn({ tradeId: r.tradeId, code: res.error.code }, 'linkage: barrier not opened');
        return;
      }
      const v = res.value;
      this.commands.set(r.laneId, {
        tradeId: r.tradeId,
        outcome: v.outcome,
        ...(v.code ? { code: v.code } : {}),
        ...(v.reason ? { reason: v.reason } : {}),
        at,
      });
      if (v.outcome === 'refused' && v.code === 'BARRIER_BUSY' && attempt < retries) {
        await new Promise((ok) => setTimeout(ok, this.opts.busyRetryMs ?? 1_000));
        continue;
      }
      if (v.outcome === 'accepted') {
        // The vehicle of this record leaves: its captured plate is no longer a prefill.
        this.captured.delete(r.laneId);
      }
      return;
    }
  }

  private onVehicle(laneId: string, ev: VehicleEvent): void {
    if (ev.event === 'captured') {
      // 默A00000/9 = not recognised: nothing to prefill.
      if (ev.plateColour === 9 && ev.plate.startsWith('默')) {
        this.captured.delete(laneId);
        return;
      }
      this.captured.set(laneId, {
        detectionId: ev.detectionId,
        plate: ev.plate,
        plateColour: ev.plateColour,
        imageRef: ev.imageRef,
        ...(ev.confidence !== undefined ? { confidence: ev.confidence } : {}),
        at: new Date(this.now()).toISOString(),
      });
    } else if (ev.event === 'passed') {
      const c = this.captured.get(laneId);
      if (c && c.detectionId === ev.detectionId) this.captured.delete(laneId);
    }
  }
}
