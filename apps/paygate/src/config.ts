import { TEST_MERCHANTS } from './fixtures/test-merchants';
import { type Merchant, parseMerchants } from './merchants';

export interface PaygateConfig {
  port: number;
  host: string;
  merchants: readonly Merchant[];
  /** Bearer token of the TEST control API (loopback only); unset = the control API refuses. */
  adminToken: string | undefined;
  /** Write-through data file; unset = in memory for the life of the process. */
  dataFile: string | undefined;
  tlsDir: string;
  tlsHosts: readonly string[];
  /** Plain HTTP (unit tests only). */
  plainHttp: boolean;
  /** The address drivers' apps open a 主扫 code at (the QR content). */
  publicUrl: string | undefined;
  /** [P] payments.md §10: request timestamps accepted ± this many seconds. */
  signatureSkewSeconds: number;
  /** [P] §10.3: a minted TEST code expires after this (60 s default). */
  codeTtlSeconds: number;
  /** [P] §4 (Alipay 3-minute default): a USERPAYING order closes after this without the payer's password. */
  userPayingSeconds: number;
  /** §2: a pre-created (主扫) order code is valid 2 hours (Alipay). */
  qrTtlSeconds: number;
  /** §10.11: the settlement file of a Beijing day is published at this Beijing hour the next day (WeChat 9). */
  settlementHour: number;
  /** §5 WeChat: no reverse within 15 s of the pay call. */
  reverseGuardSeconds: number;
  bodyLimitBytes: number;
  logLevel: string;
}

type Env = Record<string, string | undefined>;

function int(env: Env, name: string, fallback: number): number {
  const v = env[name];
  if (v === undefined || v === '') return fallback;
  if (!/^\d+$/.test(v)) throw new Error(`${name} must be a whole number, got "${v}"`);
  return Number(v);
}

export function loadConfig(env: Env = process.env, dataFile?: string): PaygateConfig {
  const dataDir = env.DATA_DIR ?? 'data/paygate';
  return {
    port: int(env, 'PORT', 8490),
    host: env.HOST ?? '127.0.0.1',
    merchants: env.PAYGATE_MERCHANTS ? parseMerchants(env.PAYGATE_MERCHANTS) : TEST_MERCHANTS,
    adminToken: env.PAYGATE_ADMIN_TOKEN || undefined,
    dataFile: dataFile ?? (env.PAYGATE_DATA_FILE || undefined),
    tlsDir: env.PAYGATE_TLS_DIR ?? `${dataDir}/tls`,
    tlsHosts: (env.PAYGATE_TLS_HOSTS ?? '127.0.0.1,localhost').split(',').map((h) => h.trim()),
    plainHttp: env.PAYGATE_PLAIN_HTTP === '1',
    publicUrl: env.PAYGATE_PUBLIC_URL || undefined,
    signatureSkewSeconds: int(env, 'PAYGATE_SIGNATURE_SKEW_SECONDS', 300),
    codeTtlSeconds: int(env, 'PAYGATE_CODE_TTL_SECONDS', 60),
    userPayingSeconds: int(env, 'PAYGATE_USERPAYING_SECONDS', 180),
    qrTtlSeconds: int(env, 'PAYGATE_QR_TTL_SECONDS', 7200),
    settlementHour: int(env, 'PAYGATE_SETTLEMENT_HOUR', 9),
    reverseGuardSeconds: int(env, 'PAYGATE_REVERSE_GUARD_SECONDS', 15),
    bodyLimitBytes: int(env, 'BODY_LIMIT_BYTES', 65_536),
    logLevel: env.LOG_LEVEL ?? 'info',
  };
}
