import { randomUUID } from 'node:crypto';
import { connect, type IClientOptions, type MqttClient } from 'mqtt';
import { type LinkageError, type LinkageResult, linkFail } from '../errors';
import { CHANNELS, type Channel } from '../topics';

/** Common MQTT client settings for both ends of the link. */
export interface MqttConnectionOptions {
  readonly url: string;
  readonly clientId?: string;
  /** Delay between reconnect attempts; mqtt.js keeps retrying forever. */
  readonly reconnectPeriodMs?: number;
  /** MQTT keep-alive: how fast the broker notices a dead TCP peer and fires its Will [P]. */
  readonly keepaliveSec?: number;
  readonly username?: string;
  readonly password?: string;
  /** CA certificate(s) (PEM) that an mqtts:// broker's certificate must chain to. */
  readonly ca?: string | Buffer;
}

export function newClientId(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

export function connectMqtt(options: MqttConnectionOptions, extra: Partial<IClientOptions> = {}): MqttClient {
  return connect(options.url, {
    protocolVersion: 4,
    clean: true,
    clientId: options.clientId,
    reconnectPeriod: options.reconnectPeriodMs ?? 2_000,
    connectTimeout: 10_000,
    keepalive: options.keepaliveSec ?? 10,
    // Commands must not be replayed from an offline queue long after the fact.
    queueQoSZero: false,
    // A refused account keeps trying: it may be provisioned at the broker after this device started.
    reconnectOnConnackError: true,
    ...(options.username !== undefined ? { username: options.username } : {}),
    ...(options.password !== undefined ? { password: options.password } : {}),
    ...(options.ca !== undefined ? { ca: options.ca, rejectUnauthorized: true } : {}),
    ...extra,
  });
}

/** Resolves true once connected, false after the timeout (the client keeps retrying). */
export function waitConnected(client: MqttClient, timeoutMs: number): Promise<boolean> {
  if (client.connected) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (value: boolean) => {
      clearTimeout(timer);
      client.off('connect', onConnect);
      resolve(value);
    };
    const onConnect = () => done(true);
    const timer = setTimeout(() => done(false), timeoutMs);
    client.on('connect', onConnect);
  });
}

/**
 * The broker's CONNACK refusal (3.1.1 codes 4 "bad user name or password", 5 "not authorised"; 5.0's 0x86
 * and 0x87) as a typed error; other connection errors (network, TLS) are not refusals.
 */
export function connectRefusal(error: unknown): LinkageError | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (code !== 4 && code !== 5 && code !== 0x86 && code !== 0x87) return undefined;
  return linkFail('MQTT_AUTH_REFUSED', 'credentials', 'MQTT服务拒绝了本端的用户名或密码，请核对联动账号配置')
    .error;
}

/** Publishes an encoded payload on `topic` with its channel's QoS and retain flag; a refusal as a result. */
export async function publishOn(
  mqtt: MqttClient,
  topic: string,
  channel: Channel,
  payload: LinkageResult<string>,
): Promise<LinkageResult<void>> {
  if (!payload.ok) return payload;
  try {
    await mqtt.publishAsync(topic, payload.value, {
      qos: CHANNELS[channel].qos,
      retain: CHANNELS[channel].retain,
    });
    return { ok: true, value: undefined };
  } catch (error) {
    return linkFail(
      'PUBLISH_FAILED',
      channel,
      `发送失败：${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
