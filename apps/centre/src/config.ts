import { join, resolve } from 'node:path';

/** Runtime configuration of the reference centre, read from the environment once at start. */
export interface CentreConfig {
  port: number;
  host: string;
  /** PostgreSQL connection string; SQLite under `dataDir` when absent. */
  databaseUrl: string | undefined;
  dataDir: string;
  /** Seed of the synthetic province (tariff + lists) published at first start; TEST data. */
  seed: number;
  /** Publish the synthetic tariff and initial lists when the database has none. */
  seedOnStart: boolean;
  /** Number of synthetic card-list entries in the seeded full version. [P] small for a laptop demo. */
  seedCardListSize: number;
  /** Extra TEST card-list entries of the seeded full version (the demo's "on the status list" cards). */
  seedCardEntries: { key: string; type: number }[];
  /** PostgreSQL pool size. */
  pgPoolSize: number;
  /** Bearer token stations must send; no auth when empty (demo/training on a laptop). */
  apiToken: string | undefined;
  /** Bearer token a Prometheus scraper presents for /metrics from off the loopback (METRICS_TOKEN). */
  metricsToken: string | undefined;
  /**
   * [P] Records of card issuers whose keys the centre does not hold: kept in quarantine (default: listed at
   * /records/quarantined, not cleared) or refused.
   */
  unknownIssuer: 'quarantine' | 'reject';
  /**
   * The publisher's Ed25519 private key (PKCS#8 PEM file) that signs every published tariff and list file.
   * When unset, a TEST key pair is made under `dataDir/publisher/` on first start (demo and tests only).
   */
  publisherKeyFile: string | undefined;
  /**
   * Plain HTTP, with the TEST peer header standing in for client certificates (http/peer.ts). Only when
   * asked for explicitly (CENTRE_PLAIN_HTTP=1, unit tests); the default is mutual TLS.
   */
  plainHttp: boolean;
  /** Where the centre CA lives (made on first start); default `dataDir/tls`. */
  tlsDir: string;
  /** Names and addresses in the centre's server certificate. */
  tlsHosts: string[];
  /** PSAM serials / terminal numbers refused authorisation, comma-separated. [P] */
  revokedPsams: string[];
  /** Status-list delta tick, minutes ([S] 5). 0 disables the timer (tests cut on demand). */
  listDeltaMinutes: number;
  /** Largest request body (tariff files and binary lists are big). */
  bodyLimitBytes: number;
  logLevel: string;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): CentreConfig {
  return {
    port: intOr(env.PORT, 8090),
    host: env.HOST ?? '127.0.0.1',
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: resolve(env.DATA_DIR ?? './data/centre'),
    seed: intOr(env.SEED, 20240117),
    seedOnStart: env.SEED_ON_START !== '0',
    seedCardListSize: intOr(env.SEED_CARD_LIST_SIZE, 10_000),
    // SEED_CARD_ENTRIES="99010000000000000042:1,99010000000000000043:7" (card number:status type).
    seedCardEntries: (env.SEED_CARD_ENTRIES ?? '')
      .split(',')
      .map((s) => s.trim().split(':'))
      .filter(
        (p): p is [string, string] => p.length === 2 && /^\d{20}$/.test(p[0]!) && /^\d{1,3}$/.test(p[1]!),
      )
      .map(([key, type]) => ({ key, type: Number(type) })),
    pgPoolSize: intOr(env.PG_POOL_SIZE, 10) || 10,
    apiToken: env.CENTRE_API_TOKEN || undefined,
    metricsToken: env.METRICS_TOKEN || undefined,
    unknownIssuer: env.UNKNOWN_ISSUER === 'reject' ? 'reject' : 'quarantine',
    publisherKeyFile: env.PUBLISHER_KEY_FILE || undefined,
    plainHttp: env.CENTRE_PLAIN_HTTP === '1',
    tlsDir: resolve(env.CENTRE_TLS_DIR ?? join(env.DATA_DIR ?? './data/centre', 'tls')),
    tlsHosts: [
      ...new Set(
        (env.CENTRE_TLS_HOSTS ?? `localhost,127.0.0.1,::1,${env.HOST ?? '127.0.0.1'}`)
          .split(',')
          .map((h) => h.trim())
          .filter((h) => h.length > 0 && h !== '0.0.0.0' && h !== '::'),
      ),
    ],
    revokedPsams: (env.PSAM_REVOKED ?? '')
      .split(',')
      .map((s) => s.trim().toUpperCase())
      .filter((s) => s.length > 0),
    listDeltaMinutes: intOr(env.LIST_DELTA_MINUTES, 5),
    bodyLimitBytes: intOr(env.BODY_LIMIT_BYTES, 64 * 1024 * 1024),
    logLevel: env.LOG_LEVEL ?? 'info',
  };
}

function intOr(v: string | undefined, d: number): number {
  if (v === undefined || v === '') return d;
  const n = Number(v);
  return Number.isSafeInteger(n) && n >= 0 ? n : d;
}
