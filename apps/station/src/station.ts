import type { StationConfig } from './config';
import { type OpenedDatabase, openDatabase } from './db/database';
import { buildApp } from './http/app';
import { createMetrics } from './http/metrics';
import { AccountsRepository } from './repositories/accounts.repository';
import { AuditRepository } from './repositories/audit.repository';
import { SessionsRepository } from './repositories/sessions.repository';
import { AuditService } from './services/audit.service';
import { AuthService } from './services/auth.service';
import type { KdfParams } from './services/password';
import type { Services } from './services/services';

export interface StationOptions {
  config: StationConfig;
  /** Injected clock (tests move time for expiry and lockout). */
  now?: () => Date;
  kdf?: KdfParams;
  /** Pino options or false; JSON logs to stdout by default. */
  logger?: boolean | { level: string };
  sqliteFile?: string;
}

/** Opens the database, wires repositories → services → HTTP app. */
export async function createStation(opts: StationOptions) {
  const { config } = opts;
  const now = opts.now ?? (() => new Date());
  const db: OpenedDatabase = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    ...(opts.sqliteFile ? { sqliteFile: opts.sqliteFile } : {}),
  });
  const audit = new AuditService(new AuditRepository(db.db), db.db, now);
  const auth = new AuthService(
    new AccountsRepository(db.db),
    new SessionsRepository(db.db),
    audit,
    db.db,
    {
      sessionTtlMs: config.sessionTtlMs,
      maxFailures: config.loginMaxFailures,
      lockoutMs: config.loginLockoutMs,
      ...(opts.kdf ? { kdf: opts.kdf } : {}),
    },
    now,
  );
  const services: Services = { db, auth, audit, now };
  const metrics = createMetrics();
  const { app, routeTable } = await buildApp(services, metrics, {
    logger: opts.logger ?? { level: config.logLevel },
    rateLimitPerMinute: config.rateLimitPerMinute,
    imageMaxBytes: config.imageMaxBytes,
  });
  return {
    app,
    routeTable,
    services,
    metrics,
    async close() {
      await app.close();
      await db.close();
    },
  };
}

export type Station = Awaited<ReturnType<typeof createStation>>;
