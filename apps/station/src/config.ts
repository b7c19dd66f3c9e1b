import { resolve } from 'node:path';

/** Runtime configuration of the station server, read from the environment once at start. */
export interface StationConfig {
  port: number;
  host: string;
  /** PostgreSQL connection string; SQLite under `dataDir` when absent. */
  databaseUrl: string | undefined;
  dataDir: string;
  tariffFile: string | undefined;
  listsDir: string | undefined;
  /** Session lifetime. [P] 12 h covers one long shift; configurable. */
  sessionTtlMs: number;
  /** Failed logins before lockout, and how long the lockout lasts. [P] ASVS L2 style defaults. */
  loginMaxFailures: number;
  loginLockoutMs: number;
  /** Largest accepted photo. [P] a 5 MP JPEG from a handheld camera is ~1.5 MB. */
  imageMaxBytes: number;
  /** Requests per minute per terminal/session key. [P] */
  rateLimitPerMinute: number;
  /** Online-fee call to the centre gives up after this long, then the fallback applies. */
  onlineFeeTimeoutMs: number;
  /**
   * [P] How far the handheld's purchase datetime (the one the card's TAC covers, which becomes the record's
   * exTime) may be from the station's clock before the debit intent is refused — a handheld with a wrong
   * clock must be set right before it debits, not produce records with a wrong exit time.
   */
  maxClockSkewSeconds: number;
  logLevel: string;
  /** HTTPS (default) or plain HTTP, only when asked for with STATION_TLS=off. */
  tls: boolean;
  /** Names and addresses the server certificate covers (STATION_TLS_HOSTS, comma list); empty = derived. */
  tlsHosts: string[];
  /** Subject CN of the station CA made on first start. [I] */
  tlsCaName: string;
  /** Bearer token a Prometheus scraper presents for /metrics from off the loopback (METRICS_TOKEN). */
  metricsToken: string | undefined;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): StationConfig {
  const dataDir = resolve(env.DATA_DIR ?? './data');
  return {
    port: intOr(env.PORT, 8080),
    host: env.HOST ?? '127.0.0.1',
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir,
    tariffFile: env.TARIFF_FILE || undefined,
    listsDir: env.LISTS_DIR || undefined,
    sessionTtlMs: intOr(env.SESSION_TTL_MS, 12 * 3600_000),
    loginMaxFailures: intOr(env.LOGIN_MAX_FAILURES, 5),
    loginLockoutMs: intOr(env.LOGIN_LOCKOUT_MS, 15 * 60_000),
    imageMaxBytes: intOr(env.IMAGE_MAX_BYTES, 4 * 1024 * 1024),
    rateLimitPerMinute: intOr(env.RATE_LIMIT_PER_MINUTE, 6000),
    onlineFeeTimeoutMs: intOr(env.ONLINE_FEE_TIMEOUT_MS, 1000),
    maxClockSkewSeconds: intOr(env.MAX_CLOCK_SKEW_SECONDS, 300),
    logLevel: env.LOG_LEVEL ?? 'info',
    tls: env.STATION_TLS !== 'off',
    tlsHosts: (env.STATION_TLS_HOSTS ?? '')
      .split(',')
      .map((h) => h.trim())
      .filter((h) => h !== ''),
    tlsCaName: env.STATION_TLS_CA_NAME || 'tollpad station CA',
    metricsToken: env.METRICS_TOKEN || undefined,
  };
}

function intOr(v: string | undefined, d: number): number {
  if (v === undefined || v === '') return d;
  const n = Number(v);
  return Number.isSafeInteger(n) && n >= 0 ? n : d;
}
