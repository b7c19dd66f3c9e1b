import { randomUUID } from 'node:crypto';
import type { MqttClient } from 'mqtt';
import { Emitter } from '../emitter';
import { type LinkageError, type LinkageResult, linkFail } from '../errors';
import { type LaneLinkSnapshot, LinkTracker } from '../link-state';
import { type BarrierCommandInput, type DisplayInput, stamp } from '../messages';
import {
  type BarrierResult,
  type BarrierStateMessage,
  checkTradeIdForLane,
  encodePayload,
  parsePayload,
  type VehicleEvent,
} from '../payloads';
import {
  CHANNELS,
  type Channel,
  checkTopicRoot,
  DEFAULT_TOPIC_ROOT,
  laneTopic,
  parseLaneTopic,
  stationSubscription,
} from '../topics';
import {
  connectMqtt,
  connectRefusal,
  type MqttConnectionOptions,
  newClientId,
  publishOn,
  waitConnected,
} from './mqtt-connection';

/**
 * The station end of the lane linkage: sends fee display and barrier commands to its lanes, listens to
 * vehicle events, barrier states and link status, and keeps each lane's monitor state (UNKNOWN whenever
 * the link is not confirmed). mqtt.js reconnects on its own; while disconnected every lane is UNKNOWN.
 */
export interface LaneLinkClientOptions extends MqttConnectionOptions {
  readonly stationId: string;
  readonly topicRoot?: string;
  /** Lanes enabled for linkage; messages from other lanes are reported as `invalid`. Empty: accept any lane of the station. */
  readonly lanes?: readonly string[];
  readonly missedBeats?: number;
  readonly defaultHeartbeatMs?: number;
  /** How often heartbeats are checked. */
  readonly tickMs?: number;
  /** How long `openBarrier` waits for the lane's answer [P]. */
  readonly resultTimeoutMs?: number;
  readonly now?: () => number;
}

export type LaneLinkEvents = {
  /** The monitor view of a lane changed (link up/down, or barrier state while linked). */
  lane: (snapshot: LaneLinkSnapshot) => void;
  barrier: (laneId: string, state: BarrierStateMessage) => void;
  vehicle: (laneId: string, event: VehicleEvent) => void;
  result: (laneId: string, result: BarrierResult) => void;
  /** A message that was refused (wrong topic, hostile payload, lane not enabled). */
  invalid: (topic: string, error: LinkageError) => void;
  connection: (state: 'connected' | 'disconnected') => void;
  /** The broker refused the station's credentials (mqtt.js keeps retrying). */
  refused: (error: LinkageError) => void;
};

const INBOUND: readonly Channel[] = ['status', 'barrier/state', 'barrier/result', 'vehicle'];

interface Pending {
  readonly laneId: string;
  readonly resolve: (r: LinkageResult<BarrierResult>) => void;
  readonly timer: ReturnType<typeof setTimeout>;
}

export class LaneLinkClient {
  private readonly emitter = new Emitter<LaneLinkEvents>((error) => this.listenerFailed(error));
  private readonly tracker: LinkTracker;
  private readonly mqtt: MqttClient;
  private readonly root: string;
  private readonly enabled: ReadonlySet<string> | undefined;
  private readonly now: () => number;
  private readonly pending = new Map<string, Pending>();
  private readonly ticker: ReturnType<typeof setInterval>;
  private readonly resultTimeoutMs: number;
  private closed = false;
  private refusal: LinkageError | undefined;

  private constructor(
    private readonly options: LaneLinkClientOptions,
    root: string,
  ) {
    this.root = root;
    this.now = options.now ?? Date.now;
    this.resultTimeoutMs = options.resultTimeoutMs ?? 5_000;
    this.enabled = options.lanes && options.lanes.length > 0 ? new Set(options.lanes) : undefined;
    this.tracker = new LinkTracker({
      ...(options.missedBeats !== undefined ? { missedBeats: options.missedBeats } : {}),
      ...(options.defaultHeartbeatMs !== undefined ? { defaultHeartbeatMs: options.defaultHeartbeatMs } : {}),
    });
    for (const laneId of options.lanes ?? []) this.tracker.watch(laneId, this.now());

    this.mqtt = connectMqtt({
      ...options,
      clientId: options.clientId ?? newClientId(`station-${options.stationId}`),
    });
    this.mqtt.on('connect', () => {
      // Subscribing on every (re)connect: with a clean session the broker forgot us, and retained status
      // and barrier state are replayed to bring the monitor view back.
      const topics = Object.fromEntries(
        INBOUND.map((c) => [stationSubscription(this.root, options.stationId, c), { qos: CHANNELS[c].qos }]),
      );
      this.mqtt.subscribe(topics, (error) => {
        if (error)
          this.emitter.emit(
            'invalid',
            '',
            linkFail('NOT_CONNECTED', 'subscribe', `订阅失败：${error.message}`).error,
          );
      });
      this.refusal = undefined;
      this.emitter.emit('connection', 'connected');
    });
    this.mqtt.on('close', () => this.brokerDown());
    this.mqtt.on('error', (error) => {
      // mqtt.js reports connect failures here and keeps retrying; the lanes are already UNKNOWN.
      const refusal = connectRefusal(error);
      if (refusal) {
        this.refusal = refusal;
        this.emitter.emit('refused', refusal);
      }
    });
    this.mqtt.on('message', (topic, payload) => this.onMessage(topic, payload));
    this.ticker = setInterval(() => {
      for (const s of this.tracker.tick(this.now())) this.emitter.emit('lane', s);
    }, options.tickMs ?? 1_000);
    this.ticker.unref();
  }

  /** Starts the client (it connects and reconnects in the background). */
  static create(options: LaneLinkClientOptions): LinkageResult<LaneLinkClient> {
    const root = checkTopicRoot(options.topicRoot ?? DEFAULT_TOPIC_ROOT);
    if (!root.ok) return root;
    return { ok: true, value: new LaneLinkClient(options, root.value) };
  }

  get connected(): boolean {
    return this.mqtt.connected;
  }

  /** Why the broker last refused this station's CONNECT, until the next successful connect. */
  get brokerRefusal(): LinkageError | undefined {
    return this.refusal;
  }

  waitConnected(timeoutMs: number): Promise<boolean> {
    return waitConnected(this.mqtt, timeoutMs);
  }

  on<K extends keyof LaneLinkEvents>(event: K, listener: LaneLinkEvents[K]): () => void {
    return this.emitter.on(event, listener);
  }

  lane(laneId: string): LaneLinkSnapshot | undefined {
    return this.tracker.get(laneId);
  }

  lanes(): LaneLinkSnapshot[] {
    return this.tracker.all();
  }

  /** Shows the fee (or a notice) on the lane's display. */
  async showDisplay(laneId: string, display: DisplayInput): Promise<LinkageResult<void>> {
    const ready = this.checkLane(laneId);
    if (!ready.ok) return ready;
    return this.publish(laneId, 'display', encodePayload('display', stamp(display)));
  }

  /**
   * Opens the lane's barrier for one committed exit record. The trade ID must belong to this lane; the
   * lane answers accepted / duplicate / refused (the promise resolves with that answer) or times out.
   */
  async openBarrier(laneId: string, tradeId: string): Promise<LinkageResult<BarrierResult>> {
    const own = checkTradeIdForLane(tradeId, laneId);
    if (!own.ok) return own;
    return this.command(laneId, { commandId: randomUUID(), action: 'open', tradeId });
  }

  /** Operator close (monitor console); never sent automatically. */
  closeBarrier(laneId: string, reason: string): Promise<LinkageResult<BarrierResult>> {
    return this.command(laneId, { commandId: randomUUID(), action: 'close', reason });
  }

  /** Clears a FAULT after inspection. */
  resetBarrier(laneId: string, reason: string): Promise<LinkageResult<BarrierResult>> {
    return this.command(laneId, { commandId: randomUUID(), action: 'reset', reason });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.ticker);
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.resolve(linkFail('NOT_CONNECTED', 'client', '联动客户端已关闭'));
      this.pending.delete(id);
    }
    await this.mqtt.endAsync();
  }

  private async command(laneId: string, input: BarrierCommandInput): Promise<LinkageResult<BarrierResult>> {
    const ready = this.checkLane(laneId);
    if (!ready.ok) return ready;
    const payload = encodePayload('barrier/command', stamp(input));
    if (!payload.ok) return payload;
    const answer = new Promise<LinkageResult<BarrierResult>>((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(input.commandId);
        resolve(
          linkFail(
            'RESULT_TIMEOUT',
            'barrier',
            `车道${laneId}未在${this.resultTimeoutMs}毫秒内应答，请确认道闸状态`,
          ),
        );
      }, this.resultTimeoutMs);
      this.pending.set(input.commandId, { laneId, resolve, timer });
    });
    const sent = await this.publish(laneId, 'barrier/command', payload);
    if (!sent.ok) {
      const p = this.pending.get(input.commandId);
      if (p) {
        clearTimeout(p.timer);
        this.pending.delete(input.commandId);
      }
      return sent;
    }
    return answer;
  }

  private checkLane(laneId: string): LinkageResult<void> {
    if (this.enabled && !this.enabled.has(laneId)) {
      return linkFail('LANE_NOT_LINKED', 'laneId', `车道${laneId}未启用联动`);
    }
    if (!this.mqtt.connected) return linkFail('NOT_CONNECTED', 'mqtt', '与MQTT服务断开，无法联动车道');
    const lane = this.tracker.get(laneId);
    if (lane?.link !== 'online') {
      return linkFail('LANE_LINK_DOWN', 'laneId', `车道${laneId}联动中断（状态未知），请人工处理`);
    }
    return { ok: true, value: undefined };
  }

  private publish(
    laneId: string,
    channel: Channel,
    payload: LinkageResult<string>,
  ): Promise<LinkageResult<void>> {
    return publishOn(
      this.mqtt,
      laneTopic(this.root, this.options.stationId, laneId, channel),
      channel,
      payload,
    );
  }

  private brokerDown(): void {
    for (const s of this.tracker.onBrokerDown(this.now())) this.emitter.emit('lane', s);
    this.emitter.emit('connection', 'disconnected');
  }

  private onMessage(topic: string, payload: Uint8Array): void {
    const error = this.handle(topic, payload);
    if (error) this.emitter.emit('invalid', topic, error);
  }

  /** Applies one inbound message; returns why it was refused, if it was. */
  private handle(topic: string, payload: Uint8Array): LinkageError | undefined {
    const t = parseLaneTopic(this.root, topic);
    if (!t.ok) return t.error;
    const { laneId, channel, stationId } = t.value;
    if (stationId !== this.options.stationId || CHANNELS[channel].direction !== 'lane→station') {
      return linkFail('TOPIC_INVALID', 'topic', '非本站车道上行主题').error;
    }
    if (this.enabled && !this.enabled.has(laneId)) {
      return linkFail('LANE_NOT_LINKED', 'laneId', `车道${laneId}未启用联动`).error;
    }
    const now = this.now();
    switch (channel) {
      case 'status': {
        const m = parsePayload('status', payload);
        if (!m.ok) return m.error;
        const s = this.tracker.onStatus(laneId, m.value, now);
        if (s) this.emitter.emit('lane', s);
        return undefined;
      }
      case 'barrier/state': {
        const m = parsePayload('barrier/state', payload);
        if (!m.ok) return m.error;
        const s = this.tracker.onBarrierState(laneId, m.value, now);
        this.emitter.emit('barrier', laneId, m.value);
        if (s) this.emitter.emit('lane', s);
        return undefined;
      }
      case 'barrier/result': {
        const m = parsePayload('barrier/result', payload);
        if (!m.ok) return m.error;
        const p = this.pending.get(m.value.commandId);
        // Only the lane the command went to may answer it.
        if (p && p.laneId === laneId) {
          clearTimeout(p.timer);
          this.pending.delete(m.value.commandId);
          p.resolve({ ok: true, value: m.value });
        }
        this.emitter.emit('result', laneId, m.value);
        return undefined;
      }
      case 'vehicle': {
        const m = parsePayload('vehicle', payload);
        if (!m.ok) return m.error;
        this.emitter.emit('vehicle', laneId, m.value);
        return undefined;
      }
      default:
        return undefined;
    }
  }

  private reportingListenerError = false;

  private listenerFailed(error: unknown): void {
    // A station listener bug must not stop the MQTT message loop; surface it once as an invalid event.
    if (this.reportingListenerError) return;
    this.reportingListenerError = true;
    const reason = error instanceof Error ? error.message : String(error);
    this.emitter.emit(
      'invalid',
      '',
      linkFail('PAYLOAD_INVALID', 'listener', `监听器异常：${reason.slice(0, 60)}`).error,
    );
    this.reportingListenerError = false;
  }
}
