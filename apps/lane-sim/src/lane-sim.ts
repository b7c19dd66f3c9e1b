import { type LinkageResult, laneIdentity, linkFail, usernameOf } from '@tollpad/linkage';
import { type EmbeddedBroker, LaneEndpoint, startEmbeddedBroker } from '@tollpad/linkage/node';
import type { LaneSimConfig } from './config';
import { type ControlServer, startControlServer } from './control-server';
import { LaneController } from './lane-controller';

/** The assembled simulator: one MQTT endpoint and one controller per lane, plus the control port. */
export interface LaneSim {
  readonly brokerUrl: string;
  /** Set when this simulator runs the embedded broker itself. */
  readonly broker?: EmbeddedBroker;
  readonly controlUrl: string;
  readonly controllers: ReadonlyMap<string, LaneController>;
  readonly endpoints: ReadonlyMap<string, LaneEndpoint>;
  /** Orderly stop: lanes announce "offline (shutdown)". */
  stop(): Promise<void>;
}

/**
 * Without MQTT_URL, start the embedded broker (it needs its accounts: MQTT_BROKER_PASSWORD_FILE); if its
 * port is taken, a broker (the station's embedded one or Mosquitto) is already there, so use it.
 */
export async function resolveBroker(
  config: LaneSimConfig,
  log: (line: string) => void,
): Promise<{ url: string; broker?: EmbeddedBroker }> {
  if (config.mqttUrl) return { url: config.mqttUrl };
  const existing = `${config.brokerTls ? 'mqtts' : 'mqtt'}://127.0.0.1:${config.embeddedPort}`;
  if (!config.brokerPasswords) {
    log(`未设置MQTT_BROKER_PASSWORD_FILE，不启动内置MQTT服务，连接${existing}`);
    return { url: existing };
  }
  const started = await startEmbeddedBroker({
    port: config.embeddedPort,
    access: { topicRoot: config.topicRoot, passwords: config.brokerPasswords },
    ...(config.brokerTls ? { tls: config.brokerTls } : {}),
    onRefused: (clientId, e) => log(`MQTT拒绝 ${clientId}: ${e.code} ${e.reason}`),
  });
  if (started.ok) {
    log(`内置MQTT服务已启动：${started.value.url}`);
    return { url: started.value.url, broker: started.value };
  }
  log(`端口${config.embeddedPort}已被占用，使用已在运行的MQTT服务：${existing}`);
  return { url: existing };
}

export async function startLaneSim(
  config: LaneSimConfig,
  write: (line: string) => void,
): Promise<LinkageResult<LaneSim>> {
  const { url, broker } = await resolveBroker(config, write);
  const controllers = new Map<string, LaneController>();
  const endpoints = new Map<string, LaneEndpoint>();
  for (const laneId of config.laneIds) {
    const endpoint = LaneEndpoint.create({
      url,
      laneId,
      topicRoot: config.topicRoot,
      heartbeatMs: config.heartbeatMs,
      ...(config.reconnectPeriodMs !== undefined ? { reconnectPeriodMs: config.reconnectPeriodMs } : {}),
      ...lanePassword(config, laneId),
      ...(config.ca !== undefined ? { ca: config.ca } : {}),
    });
    if (!endpoint.ok) return endpoint;
    const controller = new LaneController({
      laneId,
      uplink: endpoint.value,
      timings: { motionMs: config.motionMs, closeDelayMs: config.closeDelayMs },
      write,
      maxCommandAgeMs: config.maxCommandAgeMs,
    });
    endpoint.value.on('display', (m) => controller.showDisplay(m));
    endpoint.value.on('command', (c) => controller.handleCommand(c));
    endpoint.value.on('invalid', (topic, e) =>
      write(`[车道${laneId.slice(-3, -1)}] 丢弃报文 ${topic}: ${e.code} ${e.reason}`),
    );
    endpoint.value.on('refused', (e) =>
      write(`[车道${laneId.slice(-3, -1)}] MQTT拒绝连接: ${e.code} ${e.reason}`),
    );
    endpoint.value.on('connection', (s) =>
      write(`[车道${laneId.slice(-3, -1)}] ${s === 'connected' ? '已连接' : '已断开'} ${url}`),
    );
    controllers.set(laneId, controller);
    endpoints.set(laneId, endpoint.value);
  }
  let control: ControlServer;
  try {
    control = await startControlServer(controllers, config.controlPort);
  } catch (error) {
    await Promise.all([...endpoints.values()].map((e) => e.close()));
    await broker?.close();
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    return linkFail('CONFIG_INVALID', 'CONTROL_PORT', `控制端口${config.controlPort}无法监听（${code}）`);
  }
  for (const c of controllers.values()) c.start();
  write(`车道模拟器控制口：${control.url}`);
  return {
    ok: true,
    value: {
      brokerUrl: url,
      ...(broker ? { broker } : {}),
      controlUrl: control.url,
      controllers,
      endpoints,
      stop: async () => {
        for (const c of controllers.values()) c.stop();
        await control.close();
        await Promise.all([...endpoints.values()].map((e) => e.close()));
        await broker?.close();
      },
    },
  };
}

/** The lane's own account, when the simulator was given credentials. */
function lanePassword(config: LaneSimConfig, laneId: string): { username?: string; password?: string } {
  const password = config.lanePasswords?.get(laneId);
  return password === undefined ? {} : { username: usernameOf(laneIdentity(laneId)), password };
}
