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
  /**
   * Login back-off (see services/login-throttle.ts). [P] all of them: failures one source may make on one
   * account before that source is slowed; the first and the longest wait; failures on one account from all
   * sources, within the window, after which every source is slowed from its first failure.
   */
  loginFreeFailures: number;
  loginBackoffBaseMs: number;
  loginBackoffMaxMs: number;
  loginAccountCeiling: number;
  loginAccountWindowMs: number;
  /** [P] Login attempts per minute per client address, whatever the account. */
  loginPerAddressPerMinute: number;
  /** Largest accepted photo. [P] a 5 MP JPEG from a handheld camera is ~1.5 MB. */
  imageMaxBytes: number;
  /** Requests per minute per verified session. [P] */
  rateLimitPerMinute: number;
  /** Requests per minute per client address. [P] generous: a whole plaza may share one NAT address. */
  rateLimitPerAddressPerMinute: number;
  /** [P] Reverse proxies (addresses or CIDR blocks) whose X-Forwarded-For is believed; none by default. */
  trustedProxies: string[];
  /** Online-fee call to the centre gives up after this long, then the fallback applies. */
  onlineFeeTimeoutMs: number;
  /**
   * [P] How far the handheld's purchase datetime (the one the card's TAC covers, which becomes the record's
   * exTime) may be from the station's clock before the debit intent is refused — a handheld with a wrong
   * clock must be set right before it debits, not produce records with a wrong exit time.
   */
  maxClockSkewSeconds: number;
  /**
   * [P] CPC issuer areas valid here (MF/EF01 bytes 0–3 as 8 hex, CPC_VALID_AREAS, comma list); empty = any
   * (cpc-card.md §5.1: special 38 for another).
   */
  cpcValidAreas: string[];
  /** [I, unverified] Base of the CPC's UNIX seconds, CPC_TIME_BASE `utc` (default) or `beijing`. */
  cpcTimeBase: 'utc' | 'beijing';
  /** Special for a CPC exit write that failed after payment (CPC_WRITE_FAILED_SPECIAL; Fujian 523 [S TCS]). */
  cpcWriteFailedSpecial: number;
  /**
   * [P] A new 【读卡】 of a CPC whose exit was committed here less than this long ago is refused as a second
   * charge unless its live entry names another trip (CPC_REPEAT_EXIT_WINDOW_HOURS, default 24; 0 = off).
   */
  cpcRepeatExitWindowHours: number;
  /**
   * [P] A no-card exit has no card that says it was paid: the same plate paid as no-card here less than this
   * long ago, or with a no-card payment pending, is refused (NOCARD_REPEAT_WINDOW_HOURS, default 24; 0 = off).
   */
  noCardRepeatWindowHours: number;
  /** [P] The CPC's cost for a lost or damaged card, fen (CPC_CARD_COST_FEN; Beijing ¥40 [S], default 4000). */
  cpcCardCostFen: number;
  /** 绿通查验: photos of the load it needs, from several sides (GREEN_MIN_PHOTOS, default 3 [P]). */
  greenMinPhotos: number;
  /** 绿通查验: whether a mixed load (混装) passes in this province (GREEN_MIXED_ALLOWED=1; default no [P]). */
  greenMixedAllowed: boolean;
  /**
   * [P] 追缴: whether an exit whose plate has open arrears waits for their payback (payments.md §9: province
   * configuration). ARREARS_PAYBACK_BEFORE_EXIT=1 (or true); default no — the collector is told, the exit goes on.
   */
  arrearsPaybackBeforeExit: boolean;
  logLevel: string;
  /** HTTPS (default) or plain HTTP, only when asked for with STATION_TLS=off. */
  tls: boolean;
  /** Names and addresses the server certificate covers (STATION_TLS_HOSTS, comma list); empty = derived. */
  tlsHosts: string[];
  /** Subject CN of the station CA made on first start. [I] */
  tlsCaName: string;
  /** Bearer token a Prometheus scraper presents for /metrics from off the loopback (METRICS_TOKEN). */
  metricsToken: string | undefined;
  /** The payment platform (QR payment); undefined when PAYGATE_URL is not set: QR is refused, cash remains. */
  paygate: PaygateConfig | undefined;
}

/** The station's merchant account at the payment platform (DESIGN.md §8: held by the station only). */
export interface PaygateConfig {
  url: string;
  /** PEM file of the platform's CA; absent: the system store. */
  caFile: string | undefined;
  merchantId: string;
  merchantKey: string;
  /** [P] A request without an answer after this long is an unknown outcome, resolved by query. */
  timeoutMs: number;
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
    loginFreeFailures: intOr(env.LOGIN_FREE_FAILURES, 5),
    loginBackoffBaseMs: intOr(env.LOGIN_BACKOFF_BASE_MS, 2000),
    loginBackoffMaxMs: intOr(env.LOGIN_BACKOFF_MAX_MS, 15 * 60_000),
    loginAccountCeiling: intOr(env.LOGIN_ACCOUNT_CEILING, 50),
    loginAccountWindowMs: intOr(env.LOGIN_ACCOUNT_WINDOW_MS, 15 * 60_000),
    loginPerAddressPerMinute: intOr(env.LOGIN_PER_ADDRESS_PER_MINUTE, 60),
    imageMaxBytes: intOr(env.IMAGE_MAX_BYTES, 4 * 1024 * 1024),
    rateLimitPerMinute: intOr(env.RATE_LIMIT_PER_MINUTE, 6000),
    rateLimitPerAddressPerMinute: intOr(env.RATE_LIMIT_PER_ADDRESS_PER_MINUTE, 60_000),
    trustedProxies: (env.TRUSTED_PROXIES ?? '')
      .split(',')
      .map((p) => p.trim())
      .filter((p) => p !== ''),
    onlineFeeTimeoutMs: intOr(env.ONLINE_FEE_TIMEOUT_MS, 1000),
    maxClockSkewSeconds: intOr(env.MAX_CLOCK_SKEW_SECONDS, 300),
    cpcValidAreas: cpcAreas(env.CPC_VALID_AREAS),
    cpcTimeBase: env.CPC_TIME_BASE === 'beijing' ? 'beijing' : 'utc',
    cpcWriteFailedSpecial: recordSpecial(env.CPC_WRITE_FAILED_SPECIAL, 523),
    cpcRepeatExitWindowHours: intOr(env.CPC_REPEAT_EXIT_WINDOW_HOURS, 24),
    noCardRepeatWindowHours: intOr(env.NOCARD_REPEAT_WINDOW_HOURS, 24),
    cpcCardCostFen: intOr(env.CPC_CARD_COST_FEN, 4000),
    greenMinPhotos: Math.min(12, Math.max(1, intOr(env.GREEN_MIN_PHOTOS, 3))),
    greenMixedAllowed: env.GREEN_MIXED_ALLOWED === '1',
    arrearsPaybackBeforeExit: ['1', 'true'].includes(env.ARREARS_PAYBACK_BEFORE_EXIT ?? ''),
    logLevel: env.LOG_LEVEL ?? 'info',
    tls: env.STATION_TLS !== 'off',
    tlsHosts: (env.STATION_TLS_HOSTS ?? '')
      .split(',')
      .map((h) => h.trim())
      .filter((h) => h !== ''),
    tlsCaName: env.STATION_TLS_CA_NAME || 'tollpad station CA',
    metricsToken: env.METRICS_TOKEN || undefined,
    paygate: paygateConfig(env),
  };
}

/** The merchant account, or a refusal to start when it is half configured. */
function paygateConfig(env: NodeJS.ProcessEnv): PaygateConfig | undefined {
  const url = env.PAYGATE_URL || undefined;
  if (!url) return undefined;
  const merchantId = env.PAYGATE_MERCHANT_ID ?? '';
  const merchantKey = env.PAYGATE_MERCHANT_KEY ?? '';
  if (!/^https?:\/\//.test(url)) throw new Error(`PAYGATE_URL: ${url} is not an http(s) URL`);
  // A driver's 付款码 pays whoever reads it first: plain HTTP only to this machine (a local adapter, tests).
  if (url.startsWith('http:') && !['localhost', '127.0.0.1', '[::1]'].includes(new URL(url).hostname))
    throw new Error(`PAYGATE_URL: ${url} is plain HTTP to another machine; the platform needs https://`);
  if (merchantId === '' || merchantKey.length < 32)
    throw new Error('PAYGATE_URL needs PAYGATE_MERCHANT_ID and PAYGATE_MERCHANT_KEY (≥ 32 characters)');
  return {
    url,
    caFile: env.PAYGATE_CA_FILE || undefined,
    merchantId,
    merchantKey,
    timeoutMs: intOr(env.PAYGATE_TIMEOUT_MS, 10_000),
  };
}

/**
 * The issuer areas, or a refusal to start: an empty list accepts every area, so a list whose entries are all
 * mistyped must not quietly become one.
 */
function cpcAreas(v: string | undefined): string[] {
  const areas = (v ?? '')
    .split(',')
    .map((a) => a.trim().toUpperCase())
    .filter((a) => a !== '');
  const bad = areas.filter((a) => !/^[0-9A-F]{8}$/.test(a));
  if (bad.length > 0) throw new Error(`CPC_VALID_AREAS: ${bad.join(',')} is not 8 hex digits`);
  return areas;
}

/**
 * A special code the station writes into records, or a refusal to start: the record's specialType holds
 * 1–3 digits, and a code it cannot hold would refuse the commit after the money moved.
 */
function recordSpecial(v: string | undefined, d: number): number {
  if (v === undefined || v === '') return d;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 999)
    throw new Error(`CPC_WRITE_FAILED_SPECIAL: ${v} is not 1–999`);
  return n;
}

function intOr(v: string | undefined, d: number): number {
  if (v === undefined || v === '') return d;
  const n = Number(v);
  return Number.isSafeInteger(n) && n >= 0 ? n : d;
}
