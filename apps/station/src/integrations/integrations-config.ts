import { join } from 'node:path';
import { type CentreTrustConfig, loadCentreTrustConfig } from '../sync/centre-tls';

/** Settings of the station's links to the centre and the lanes, read from the environment. */
export interface IntegrationsConfig {
  /** The provincial centre; without it no upload and no sync run (records stay in the outbox). */
  centreUrl: string | undefined;
  centreToken: string | undefined;
  /** Mutual TLS to the centre and the publisher key(s) (sync/centre-tls.ts). */
  centreTrust: CentreTrustConfig;
  outbox: {
    pollMs: number;
    /** [P] backoff 1 s doubling to 5 min, equal jitter. */
    backoffBaseMs: number;
    backoffMaxMs: number;
    timeoutMs: number;
    laneConcurrency: number;
  };
  sync: {
    /** [P] 60 s; the centre cuts list deltas every 5 min ([S] business-rules §4). */
    intervalMs: number;
    /** [P] 5 s after a failed run. */
    retryMs: number;
    timeoutMs: number;
    firstSyncTimeoutMs: number;
    /** The green-channel appointment and ban lists: [S] every 10 min (business-rules §4). */
    greenIntervalMs: number;
    /** Where the tariff and lists taken from the centre are kept across restarts: REFERENCE_CACHE_DIR, else `<DATA_DIR>/reference`. */
    referenceCacheDir: string | undefined;
  };
  linkage: {
    enabled: boolean;
    /** Real broker; unset → embedded broker on `embeddedPort`. */
    mqttUrl: string | undefined;
    embeddedPort: number;
    topicRoot: string | undefined;
    /** The station's own MQTT account; the username defaults to `station-{stationId}` (linkage acl.ts). */
    username: string | undefined;
    password: string | undefined;
    /** CA (PEM file) an mqtts:// broker's certificate must chain to. */
    caFile: string | undefined;
    /** The embedded broker's accounts (Mosquitto password_file format); without it no embedded broker. */
    brokerPasswordFile: string | undefined;
    /** Key and certificate (PEM files) to serve the embedded broker over TLS (mqtts://). */
    brokerTlsKeyFile: string | undefined;
    brokerTlsCertFile: string | undefined;
  };
}

/** `dataDir`: the station's data directory (config.ts), where the reference cache goes unless REFERENCE_CACHE_DIR says. */
export function loadIntegrationsConfig(
  env: NodeJS.ProcessEnv = process.env,
  dataDir?: string,
): IntegrationsConfig {
  return {
    centreUrl: env.CENTRE_URL || undefined,
    centreToken: env.CENTRE_API_TOKEN || undefined,
    centreTrust: loadCentreTrustConfig(env),
    outbox: {
      pollMs: intOr(env.OUTBOX_POLL_MS, 1_000),
      backoffBaseMs: intOr(env.OUTBOX_BACKOFF_BASE_MS, 1_000),
      backoffMaxMs: intOr(env.OUTBOX_BACKOFF_MAX_MS, 300_000),
      timeoutMs: intOr(env.OUTBOX_TIMEOUT_MS, 5_000),
      laneConcurrency: Math.max(1, intOr(env.OUTBOX_LANE_CONCURRENCY, 8)),
    },
    sync: {
      intervalMs: Math.max(100, intOr(env.SYNC_INTERVAL_MS, 60_000)),
      retryMs: Math.max(100, intOr(env.SYNC_RETRY_MS, 5_000)),
      timeoutMs: intOr(env.SYNC_TIMEOUT_MS, 10_000),
      firstSyncTimeoutMs: intOr(env.SYNC_FIRST_TIMEOUT_MS, 15_000),
      greenIntervalMs: Math.max(100, intOr(env.SYNC_GREEN_INTERVAL_MS, 600_000)),
      referenceCacheDir: env.REFERENCE_CACHE_DIR || (dataDir ? join(dataDir, 'reference') : undefined),
    },
    linkage: {
      enabled: env.LINKAGE !== '0',
      mqttUrl: env.MQTT_URL || undefined,
      embeddedPort: intOr(env.MQTT_PORT, 1883),
      topicRoot: env.TOPIC_ROOT || undefined,
      username: env.MQTT_USERNAME || undefined,
      password: env.MQTT_PASSWORD || undefined,
      caFile: env.MQTT_CA_FILE || undefined,
      brokerPasswordFile: env.MQTT_BROKER_PASSWORD_FILE || undefined,
      brokerTlsKeyFile: env.MQTT_BROKER_TLS_KEY_FILE || undefined,
      brokerTlsCertFile: env.MQTT_BROKER_TLS_CERT_FILE || undefined,
    },
  };
}

function intOr(v: string | undefined, d: number): number {
  if (v === undefined || v === '') return d;
  const n = Number(v);
  return Number.isSafeInteger(n) && n >= 0 ? n : d;
}
