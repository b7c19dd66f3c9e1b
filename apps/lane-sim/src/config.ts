import { readFileSync } from 'node:fs';
import { parseLaneId, parseStationId, stationIdOf } from '@tollpad/domain';
import {
  checkTopicRoot,
  DEFAULT_TOPIC_ROOT,
  type LinkageResult,
  laneIdentity,
  linkFail,
  usernameOf,
} from '@tollpad/linkage';
import {
  type EmbeddedBrokerTls,
  loadCredentialsFile,
  type PasswordTable,
  passwordFileTable,
} from '@tollpad/linkage/node';

/** Simulator settings from the environment; every bad value is a typed CONFIG_INVALID error. */
export interface LaneSimConfig {
  /** Unset: start the embedded broker (or use one already listening on `embeddedPort`). */
  readonly mqttUrl?: string;
  readonly embeddedPort: number;
  readonly stationId: string;
  readonly laneIds: readonly string[];
  readonly topicRoot: string;
  readonly heartbeatMs: number;
  /** Local HTTP control port for the demo and tests (POST /vehicle …); 0 picks a free one. */
  readonly controlPort: number;
  readonly motionMs: number;
  readonly closeDelayMs: number;
  readonly maxCommandAgeMs: number;
  /** Delay between MQTT reconnect attempts. */
  readonly reconnectPeriodMs?: number;
  /** Each lane's own password by lane ID; unset: the lanes connect without credentials. */
  readonly lanePasswords?: ReadonlyMap<string, string>;
  /** CA (PEM) an mqtts:// broker's certificate must chain to. */
  readonly ca?: string;
  /** The embedded broker's accounts (username → hash); without them no embedded broker is started. */
  readonly brokerPasswords?: PasswordTable;
  /** Serve the embedded broker over TLS. */
  readonly brokerTls?: EmbeddedBrokerTls;
}

// TEST defaults: the synthetic station and lane used across the demo.
export const DEFAULT_STATION_ID = 'G0022370010030';
export const DEFAULT_LANE_IDS = ['G00223700100302010910'];

function int(
  env: Record<string, string | undefined>,
  name: string,
  fallback: number,
  min: number,
): LinkageResult<number> {
  const raw = env[name];
  if (raw === undefined || raw === '') return { ok: true, value: fallback };
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < min)
    return linkFail('CONFIG_INVALID', name, `${name}应为不小于${min}的整数，实为“${raw}”`);
  return { ok: true, value: n };
}

export function loadConfig(env: Record<string, string | undefined>): LinkageResult<LaneSimConfig> {
  const stationId = env.STATION_ID || DEFAULT_STATION_ID;
  const station = parseStationId(stationId, 'STATION_ID');
  if (!station.ok) return linkFail('CONFIG_INVALID', 'STATION_ID', station.error.reason);
  const laneIds = env.LANE_IDS
    ? env.LANE_IDS.split(',')
        .map((s) => s.trim())
        .filter((s) => s.length > 0)
    : DEFAULT_LANE_IDS;
  if (laneIds.length === 0) return linkFail('CONFIG_INVALID', 'LANE_IDS', 'LANE_IDS为空');
  for (const laneId of laneIds) {
    const lane = parseLaneId(laneId, 'LANE_IDS');
    if (!lane.ok) return linkFail('CONFIG_INVALID', 'LANE_IDS', lane.error.reason);
    if (stationIdOf(laneId) !== stationId) {
      return linkFail('CONFIG_INVALID', 'LANE_IDS', `车道${laneId}不属于收费站${stationId}`);
    }
  }
  if (new Set(laneIds).size !== laneIds.length)
    return linkFail('CONFIG_INVALID', 'LANE_IDS', 'LANE_IDS有重复车道');
  const root = checkTopicRoot(env.TOPIC_ROOT || DEFAULT_TOPIC_ROOT);
  if (!root.ok) return root;
  const numbers = {
    embeddedPort: int(env, 'MQTT_PORT', 1883, 0),
    heartbeatMs: int(env, 'HEARTBEAT_MS', 5_000, 100),
    controlPort: int(env, 'CONTROL_PORT', 8091, 0),
    motionMs: int(env, 'MOTION_MS', 1_500, 0),
    closeDelayMs: int(env, 'CLOSE_DELAY_MS', 1_000, 0),
    maxCommandAgeMs: int(env, 'MAX_COMMAND_AGE_MS', 30_000, 0),
    reconnectPeriodMs: int(env, 'RECONNECT_MS', 2_000, 100),
  };
  const values: Record<string, number> = {};
  for (const [key, r] of Object.entries(numbers)) {
    if (!r.ok) return r;
    values[key] = r.value;
  }
  const security = loadSecurity(env, laneIds);
  if (!security.ok) return security;
  return {
    ok: true,
    value: {
      ...(env.MQTT_URL ? { mqttUrl: env.MQTT_URL } : {}),
      stationId,
      laneIds,
      topicRoot: root.value,
      embeddedPort: values.embeddedPort!,
      heartbeatMs: values.heartbeatMs!,
      controlPort: values.controlPort!,
      motionMs: values.motionMs!,
      closeDelayMs: values.closeDelayMs!,
      maxCommandAgeMs: values.maxCommandAgeMs!,
      reconnectPeriodMs: values.reconnectPeriodMs!,
      ...security.value,
    },
  };
}

type Security = Pick<LaneSimConfig, 'lanePasswords' | 'ca' | 'brokerPasswords' | 'brokerTls'>;

/** Credentials and TLS files named by the environment (all optional; see main.ts). */
function loadSecurity(
  env: Record<string, string | undefined>,
  laneIds: readonly string[],
): LinkageResult<Security> {
  const out: { -readonly [K in keyof Security]: Security[K] } = {};
  if (env.MQTT_CREDENTIALS_FILE) {
    const all = loadCredentialsFile(env.MQTT_CREDENTIALS_FILE);
    if (!all.ok) return all;
    const mine = new Map<string, string>();
    for (const laneId of laneIds) {
      const password = all.value.get(usernameOf(laneIdentity(laneId)));
      if (password === undefined) {
        return linkFail('CONFIG_INVALID', 'MQTT_CREDENTIALS_FILE', `MQTT账号文件中没有车道${laneId}的密码`);
      }
      mine.set(laneId, password);
    }
    out.lanePasswords = mine;
  }
  if (env.MQTT_BROKER_PASSWORD_FILE) {
    const users = passwordFileTable(env.MQTT_BROKER_PASSWORD_FILE);
    if (!users.ok) return users;
    out.brokerPasswords = users.value;
  }
  const files: [string, string][] = [];
  for (const name of ['MQTT_CA_FILE', 'MQTT_BROKER_TLS_KEY_FILE', 'MQTT_BROKER_TLS_CERT_FILE'] as const) {
    const path = env[name];
    if (!path) continue;
    try {
      files.push([name, readFileSync(path, 'utf8')]);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? String(error);
      return linkFail('CONFIG_INVALID', name, `无法读取${path}（${code}）`);
    }
  }
  const pem = Object.fromEntries(files);
  if (pem.MQTT_CA_FILE) out.ca = pem.MQTT_CA_FILE;
  if (pem.MQTT_BROKER_TLS_KEY_FILE && pem.MQTT_BROKER_TLS_CERT_FILE) {
    out.brokerTls = { key: pem.MQTT_BROKER_TLS_KEY_FILE, cert: pem.MQTT_BROKER_TLS_CERT_FILE };
  } else if (pem.MQTT_BROKER_TLS_KEY_FILE || pem.MQTT_BROKER_TLS_CERT_FILE) {
    return linkFail(
      'CONFIG_INVALID',
      'MQTT_BROKER_TLS_KEY_FILE',
      'MQTT_BROKER_TLS_KEY_FILE与MQTT_BROKER_TLS_CERT_FILE须同时设置',
    );
  }
  return { ok: true, value: out };
}
