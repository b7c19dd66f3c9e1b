import { stationIdOf } from '@tollpad/domain';
import type { MqttClient } from 'mqtt';
import { Emitter } from '../emitter';
import { type LinkageError, type LinkageResult, linkFail } from '../errors';
import { type BarrierResultInput, type BarrierStateInput, stamp, type VehicleInput } from '../messages';
import { type BarrierCommand, type DisplayMessage, encodePayload, parsePayload } from '../payloads';
import {
  CHANNELS,
  type Channel,
  checkTopicRoot,
  DEFAULT_TOPIC_ROOT,
  laneTopic,
  parseLaneTopic,
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
 * The lane end of the linkage: one MQTT connection per lane, so that its Last Will ("offline", retained)
 * marks exactly that lane lost. It announces itself online (retained) with a heartbeat, republishes its
 * barrier state on every (re)connect, and hands display messages and barrier commands to the controller.
 */
export interface LaneEndpointOptions extends MqttConnectionOptions {
  readonly laneId: string;
  readonly topicRoot?: string;
  /** Heartbeat period [P]; the station declares the link lost after a few missed beats. */
  readonly heartbeatMs?: number;
}

export type LaneEndpointEvents = {
  display: (message: DisplayMessage) => void;
  command: (command: BarrierCommand) => void;
  invalid: (topic: string, error: LinkageError) => void;
  connection: (state: 'connected' | 'disconnected') => void;
  /** The broker refused this lane's credentials (mqtt.js keeps retrying). */
  refused: (error: LinkageError) => void;
};

export class LaneEndpoint {
  readonly laneId: string;
  readonly stationId: string;
  private readonly emitter = new Emitter<LaneEndpointEvents>();
  private readonly mqtt: MqttClient;
  private readonly root: string;
  private readonly heartbeatMs: number;
  private heartbeat: ReturnType<typeof setInterval> | undefined;
  private seq = 0;
  private lastState: BarrierStateInput | undefined;

  private constructor(options: LaneEndpointOptions, root: string) {
    this.laneId = options.laneId;
    this.stationId = stationIdOf(options.laneId);
    this.root = root;
    this.heartbeatMs = options.heartbeatMs ?? 5_000;
    const will = stamp({ status: 'offline', cause: 'lost' } as const);
    this.mqtt = connectMqtt(
      { ...options, clientId: options.clientId ?? newClientId(`lane-${options.laneId}`) },
      {
        will: {
          topic: this.topic('status'),
          payload: Buffer.from(JSON.stringify(will)),
          qos: CHANNELS.status.qos,
          retain: CHANNELS.status.retain,
        },
      },
    );
    this.mqtt.on('connect', () => this.onConnect());
    this.mqtt.on('close', () => {
      this.stopHeartbeat();
      this.emitter.emit('connection', 'disconnected');
    });
    this.mqtt.on('error', (error) => {
      // Connect failures: mqtt.js retries; the station already shows this lane UNKNOWN.
      const refusal = connectRefusal(error);
      if (refusal) this.emitter.emit('refused', refusal);
    });
    this.mqtt.on('message', (topic, payload) => this.onMessage(topic, payload));
  }

  static create(options: LaneEndpointOptions): LinkageResult<LaneEndpoint> {
    const root = checkTopicRoot(options.topicRoot ?? DEFAULT_TOPIC_ROOT);
    if (!root.ok) return root;
    if (options.laneId.length !== 21 || /[/+#]/.test(options.laneId)) {
      return linkFail('CONFIG_INVALID', 'laneId', `车道编号“${options.laneId}”不合法`);
    }
    return { ok: true, value: new LaneEndpoint(options, root.value) };
  }

  get connected(): boolean {
    return this.mqtt.connected;
  }

  waitConnected(timeoutMs: number): Promise<boolean> {
    return waitConnected(this.mqtt, timeoutMs);
  }

  on<K extends keyof LaneEndpointEvents>(event: K, listener: LaneEndpointEvents[K]): () => void {
    return this.emitter.on(event, listener);
  }

  /** Reports the barrier state (retained); remembered and republished after a reconnect. */
  publishBarrierState(state: BarrierStateInput): Promise<LinkageResult<void>> {
    this.lastState = state;
    return this.publish('barrier/state', encodePayload('barrier/state', stamp(state)));
  }

  publishVehicle(event: VehicleInput): Promise<LinkageResult<void>> {
    return this.publish('vehicle', encodePayload('vehicle', stamp(event)));
  }

  publishResult(result: BarrierResultInput): Promise<LinkageResult<void>> {
    return this.publish('barrier/result', encodePayload('barrier/result', stamp(result)));
  }

  /** Orderly stop: says "offline (shutdown)" before disconnecting, so the Will is not needed. */
  async close(): Promise<void> {
    this.stopHeartbeat();
    if (this.mqtt.connected) {
      await this.publish(
        'status',
        encodePayload('status', stamp({ status: 'offline', cause: 'shutdown' } as const)),
      );
    }
    await this.mqtt.endAsync();
  }

  /**
   * Drops the TCP connection without an MQTT DISCONNECT and does not reconnect: what a cut cable or a
   * crashed controller looks like to the broker, which then publishes this lane's Last Will.
   */
  async dropLink(): Promise<void> {
    this.stopHeartbeat();
    await this.mqtt.endAsync(true);
  }

  private topic(channel: Channel): string {
    return laneTopic(this.root, this.stationId, this.laneId, channel);
  }

  private onConnect(): void {
    this.mqtt.subscribe(
      {
        [this.topic('display')]: { qos: CHANNELS.display.qos },
        [this.topic('barrier/command')]: { qos: CHANNELS['barrier/command'].qos },
      },
      (error) => {
        if (error)
          this.emitter.emit(
            'invalid',
            '',
            linkFail('NOT_CONNECTED', 'subscribe', `订阅失败：${error.message}`).error,
          );
      },
    );
    void this.beat();
    if (this.lastState) void this.publishBarrierState(this.lastState);
    this.stopHeartbeat();
    this.heartbeat = setInterval(() => void this.beat(), this.heartbeatMs);
    this.heartbeat.unref();
    this.emitter.emit('connection', 'connected');
  }

  private beat(): Promise<LinkageResult<void>> {
    const status = stamp({ status: 'online', seq: this.seq++, heartbeatMs: this.heartbeatMs } as const);
    return this.publish('status', encodePayload('status', status));
  }

  private stopHeartbeat(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }

  private publish(channel: Channel, payload: LinkageResult<string>): Promise<LinkageResult<void>> {
    if (payload.ok && !this.mqtt.connected) {
      return Promise.resolve(linkFail('NOT_CONNECTED', 'mqtt', '与MQTT服务断开'));
    }
    return publishOn(this.mqtt, this.topic(channel), channel, payload);
  }

  private onMessage(topic: string, payload: Uint8Array): void {
    const error = this.handle(topic, payload);
    if (error) this.emitter.emit('invalid', topic, error);
  }

  private handle(topic: string, payload: Uint8Array): LinkageError | undefined {
    const t = parseLaneTopic(this.root, topic);
    if (!t.ok) return t.error;
    if (t.value.laneId !== this.laneId) return linkFail('TOPIC_INVALID', 'topic', '非本车道主题').error;
    if (t.value.channel === 'display') {
      const m = parsePayload('display', payload);
      if (!m.ok) return m.error;
      this.emitter.emit('display', m.value);
    } else if (t.value.channel === 'barrier/command') {
      const m = parsePayload('barrier/command', payload);
      if (!m.ok) return m.error;
      this.emitter.emit('command', m.value);
    }
    return undefined;
  }
}
