import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeSpecial } from '@tollpad/domain';
import type { PaymentPort, PollSchedule } from '@tollpad/payment';
import type { ServerTlsOptions } from '@tollpad/server-kit';
import type { ProvincePolicy } from '@tollpad/tariff';
import type { StationConfig } from './config';
import { type OpenedDatabase, openDatabase } from './db/database';
import type { ExitRecordRow } from './db/schema';
import { buildApp } from './http/app';
import { createMetrics } from './http/metrics';
import type { ArrearsPort } from './ports/centre-arrears';
import type { OnlineFeeSource } from './ports/centre-online-fee';
import type { CentrePathPort } from './ports/centre-path';
import type { PsamStatePort } from './ports/centre-psam-state';
import { paygatePort } from './ports/paygate-port';
import { AccountsRepository } from './repositories/accounts.repository';
import { AuditRepository } from './repositories/audit.repository';
import { ConfigRepository } from './repositories/config.repository';
import { ExitsRepository } from './repositories/exits.repository';
import { GreenInspectionsRepository } from './repositories/green-inspections.repository';
import { HandoverRepository } from './repositories/handover.repository';
import { ImagesRepository } from './repositories/images.repository';
import { LoginBackoffRepository } from './repositories/login-backoff.repository';
import { PaymentsRepository } from './repositories/payments.repository';
import { ReceiptsRepository } from './repositories/receipts.repository';
import { RecordsRepository } from './repositories/records.repository';
import { RefundsRepository } from './repositories/refunds.repository';
import { SessionsRepository } from './repositories/sessions.repository';
import { SettlementRepository } from './repositories/settlement.repository';
import { ShiftsRepository } from './repositories/shifts.repository';
import { ArrearsLookupService } from './services/arrears-lookup.service';
import { ArrearsPaybackService } from './services/arrears-payback.service';
import { AuditService } from './services/audit.service';
import { AuthService } from './services/auth.service';
import { ConfigService } from './services/config.service';
import { arrearsExitParts } from './services/exit/arrears-exit';
import { arrearsGate } from './services/exit/arrears-gate';
import { cpcExitParts } from './services/exit/cpc-exit';
import { etcExitParts } from './services/exit/etc-exit';
import { noneExitParts } from './services/exit/none-exit';
import type { CpcMethodsOptions } from './services/exit/payments/cpc-methods';
import { ExitService } from './services/exit.service';
import { ExitDesk } from './services/exit-desk';
import { ExitNotifier } from './services/exit-notifier';
import { ExitOwnership } from './services/exit-ownership';
import { GreenInspectionService } from './services/green-inspection.service';
import { ImageService } from './services/image.service';
import type { KdfParams } from './services/password';
import { PathService } from './services/path.service';
import { PaymentWorker } from './services/payments/payment-worker';
import { RefundService } from './services/payments/refund.service';
import { RefundWorker } from './services/payments/refund-worker';
import { SettlementService } from './services/payments/settlement.service';
import { PsamStateService } from './services/psam-state.service';
import { ReceiptsService } from './services/receipts.service';
import { RecordsService } from './services/records.service';
import { ReferenceService, type ReferenceSnapshot } from './services/reference.service';
import type { Services } from './services/services';
import { ShiftService } from './services/shift.service';
import { ShiftHandoverService } from './services/shift-handover.service';

/** The paygate of the configuration (PAYGATE_URL …), or none. */
function paygateOf(config: StationConfig): PaymentPort | undefined {
  const g = config.paygate;
  if (!g) return undefined;
  return paygatePort({
    url: g.url,
    ca: g.caFile ? readFileSync(g.caFile, 'utf8') : undefined,
    merchantId: g.merchantId,
    merchantKey: g.merchantKey,
    timeoutMs: g.timeoutMs,
  });
}

export interface StationOptions {
  config: StationConfig;
  /** Injected clock (tests move time for expiry and lockout). */
  now?: () => Date;
  kdf?: KdfParams;
  /** Pino options or false; JSON logs to stdout by default. */
  logger?: boolean | { level: string };
  sqliteFile?: string;
  /** Online fee per PassID (the centre client, `centreOnlineFee`); none → the decision's fallback. */
  onlineFeeSource?: OnlineFeeSource;
  /** The PSAMs' authorisation state at the centre (`centrePsamState`); none → shown as not configured. */
  psamState?: PsamStatePort;
  /** Bound on asking it (default PSAM_STATE_TIMEOUT_MS). */
  psamStateTimeoutMs?: number;
  /** A plate's open arrears at the centre (`centreArrears`); none → the chase list's hit alone. */
  arrears?: ArrearsPort;
  /** The centre's paths and photos (`centrePath`); none → every path is the station's own. */
  path?: CentrePathPort;
  /** Bound on waiting for the centre's path (default PATH_TIMEOUT_MS). */
  pathTimeoutMs?: number;
  policy?: Partial<ProvincePolicy>;
  /** A prepared tariff + lists snapshot instead of loading files (tests share one). */
  reference?: ReferenceSnapshot;
  /** [P] Card networks accepted as issuers; empty = any province-coded network. */
  validNetworks?: readonly string[];
  /** [P] 0019 layout in use in this province. */
  layout0019?: 'legacy' | '2019';
  poolSize?: number;
  /** The payment platform's port (tests); otherwise the paygate of PAYGATE_URL, or none. */
  paymentPort?: PaymentPort;
  /** Poll schedule of platform payments (tests shorten it). */
  paymentSchedule?: PollSchedule;
  /** Serve HTTPS with these options (main.ts: the station CA's certificate); plain HTTP without. */
  https?: ServerTlsOptions;
}

/** Opens the database, wires repositories → services → HTTP app. */
export async function createStation(opts: StationOptions) {
  const { config } = opts;
  const now = opts.now ?? (() => new Date());
  const metrics = createMetrics();
  const db: OpenedDatabase = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    ...(opts.sqliteFile ? { sqliteFile: opts.sqliteFile } : {}),
    ...(opts.poolSize ? { poolSize: opts.poolSize } : {}),
    onWalFlush: (seconds) => metrics.walFlushSeconds.observe(seconds),
  });
  const commitListeners: RecordCommittedListener[] = [];
  const audit = new AuditService(new AuditRepository(db.db), db.db, now);
  const auth = new AuthService(
    new AccountsRepository(db.db),
    new SessionsRepository(db.db),
    new LoginBackoffRepository(db.db),
    audit,
    db,
    {
      sessionTtlMs: config.sessionTtlMs,
      throttle: {
        freeFailures: config.loginFreeFailures,
        baseMs: config.loginBackoffBaseMs,
        maxMs: config.loginBackoffMaxMs,
        accountCeiling: config.loginAccountCeiling,
        accountWindowMs: config.loginAccountWindowMs,
      },
      ...(opts.kdf ? { kdf: opts.kdf } : {}),
    },
    now,
  );
  const config$ = new ConfigService(new ConfigRepository(db.db), audit, db, now);
  const shiftsRepo = new ShiftsRepository(db.db);
  const shifts = new ShiftService(shiftsRepo, audit, db.db, now, {
    cpcWriteFailedSpecial: config.cpcWriteFailedSpecial,
  });
  const reference = new ReferenceService(
    { tariffFile: config.tariffFile, listsDir: config.listsDir },
    audit,
    now,
    opts.reference,
  );
  const images = new ImageService(
    new ImagesRepository(db.db, join(config.dataDir, 'images')),
    config.imageMaxBytes,
    now,
  );
  const payments = new PaymentWorker({
    repo: new PaymentsRepository(db.db),
    port: opts.paymentPort ?? paygateOf(config),
    now,
    ...(opts.paymentSchedule ? { schedule: opts.paymentSchedule, retryPendingMs: 500 } : {}),
  });
  // Every payment in flight is resumed (queried first) before the station takes a request.
  await payments.start();
  const refundsRepo = new RefundsRepository(db.db);
  const refundWorker = new RefundWorker({
    db: db.db,
    repo: refundsRepo,
    port: opts.paymentPort ?? paygateOf(config),
    audit,
    now,
    ...(opts.paymentSchedule ? { retryMs: 500 } : {}),
  });
  // Every refund without a clear answer is asked again (same refund number) before requests are taken.
  await refundWorker.start();
  const recordsRepo = new RecordsRepository(db.db);
  const exitsRepo = new ExitsRepository(db.db);
  const ownership = new ExitOwnership(shiftsRepo);
  const greenInspectionsRepo = new GreenInspectionsRepository(db.db, now);
  const exitDeps = {
    greenInspections: greenInspectionsRepo,
    db,
    exits: exitsRepo,
    records: recordsRepo,
    shifts: shiftsRepo,
    accounts: new AccountsRepository(db.db),
    config: config$,
    reference,
    images,
    audit,
    notifier: new ExitNotifier(),
    ownership,
    now,
    onCommitted: () => metrics.exitCommits.inc(),
    onRecordCommitted: (row: ExitRecordRow, replayed: boolean) => {
      for (const l of commitListeners) l(row, replayed);
    },
  };
  const exitOpts = {
    onlineFee: opts.onlineFeeSource,
    policy: { onlineTimeoutMs: config.onlineFeeTimeoutMs, ...opts.policy },
  };
  // The payments of every cell paid like a CPC (CPC, no card, 补缴): QR through the payment worker, the ETC card.
  const cpcMethods: Pick<CpcMethodsOptions, 'qr' | 'etcCard'> = {
    qr: { worker: payments, laneHexOf: async (laneId) => (await config$.requireLane(laneId)).hex },
    etcCard: {
      validNetworks: opts.validNetworks ?? [],
      maxClockSkewSeconds: config.maxClockSkewSeconds,
      terminals: config$,
      lists: () => reference.snapshot.lists,
      claims: exitsRepo,
    },
  };
  const arrearsLookup = new ArrearsLookupService(() => reference.snapshot.lists, opts.arrears, now);
  const exits = new ExitDesk(
    {
      etc: new ExitService(
        exitDeps,
        exitOpts,
        etcExitParts({
          validNetworks: opts.validNetworks ?? [],
          layout0019: opts.layout0019 ?? '2019',
          maxClockSkewSeconds: config.maxClockSkewSeconds,
          terminals: config$,
          claims: exitsRepo,
        }),
      ),
      cpc: new ExitService(
        exitDeps,
        exitOpts,
        cpcExitParts({
          validAreas: config.cpcValidAreas,
          timeBase: config.cpcTimeBase,
          writeFailedSpecial: config.cpcWriteFailedSpecial,
          repeatExitWindowMs: config.cpcRepeatExitWindowHours * 3600_000,
          ...cpcMethods,
        }),
      ),
      // No usable card (issue #22): the CPC's payments, nothing written; the card cost is a province setting.
      none: new ExitService(
        exitDeps,
        { ...exitOpts, policy: { cardCost: config.cpcCardCostFen, ...exitOpts.policy } },
        noneExitParts({
          noCardRepeatWindowMs: config.noCardRepeatWindowHours * 3600_000,
          ...cpcMethods,
        }),
      ),
    },
    payments,
    arrearsGate({
      enabled: config.arrearsPaybackBeforeExit,
      lookup: arrearsLookup,
      claims: exitsRepo,
      exits: exitsRepo,
      db,
    }),
  );
  // 补缴: the payback's cell of the exit table (medium arrears × the CPC exit's payments × no card write).
  const arrearsParts = arrearsExitParts({
    ...cpcMethods,
    claims: exitsRepo,
  });
  const settlement = new SettlementService({
    port: opts.paymentPort ?? paygateOf(config),
    repo: new SettlementRepository(db.db),
    now,
  });
  const receiptsRepo = new ReceiptsRepository(db.db);
  const services: Services = {
    db,
    auth,
    audit,
    config: config$,
    psamStates: new PsamStateService(config$, opts.psamState, opts.psamStateTimeoutMs),
    arrears: arrearsLookup,
    paybacks: new ArrearsPaybackService({
      db,
      exits: exitsRepo,
      records: recordsRepo,
      shifts: shiftsRepo,
      accounts: exitDeps.accounts,
      config: config$,
      ownership,
      audit,
      lookup: arrearsLookup,
      service: new ExitService(exitDeps, exitOpts, arrearsParts),
      parts: arrearsParts,
      desk: exits,
      now,
      onRecordCommitted: exitDeps.onRecordCommitted,
    }),
    path: new PathService({
      exits,
      db: db.db,
      config: config$,
      network: () => reference.snapshot.tariff.network,
      images,
      port: opts.path,
      now,
      ...(opts.pathTimeoutMs !== undefined ? { timeoutMs: opts.pathTimeoutMs } : {}),
    }),
    shifts,
    reference,
    exits,
    records: new RecordsService(recordsRepo, exitsRepo, audit, db, now, ownership),
    greenInspections: new GreenInspectionService({
      desk: exits,
      repo: greenInspectionsRepo,
      images,
      reference,
      settings: { minPhotos: config.greenMinPhotos, mixedAllowed: config.greenMixedAllowed },
      now,
    }),
    refunds: new RefundService({
      db: db.db,
      repo: refundsRepo,
      worker: refundWorker,
      audit,
      station: () => config$.station(),
      now,
    }),
    receipts: new ReceiptsService(receiptsRepo, recordsRepo, ownership, audit, db.db, now),
    handover: new ShiftHandoverService({
      shifts: shiftsRepo,
      repo: new HandoverRepository(db.db),
      receipts: receiptsRepo,
      settlement,
      audit,
      db: db.db,
      now,
      cpcWriteFailedSpecial: config.cpcWriteFailedSpecial,
    }),
    settlement,
    images,
    describeSpecial,
    now,
  };
  const { app, routeTable } = await buildApp(services, metrics, {
    logger: opts.logger ?? { level: config.logLevel },
    limits: {
      perSession: config.rateLimitPerMinute,
      perAddress: config.rateLimitPerAddressPerMinute,
      loginsPerAddress: config.loginPerAddressPerMinute,
      trustedProxies: config.trustedProxies,
    },
    imageMaxBytes: config.imageMaxBytes,
    metricsToken: config.metricsToken,
    ...(opts.https ? { https: opts.https } : {}),
  });
  return {
    app,
    routeTable,
    services,
    metrics,
    /** Listens to committed records (integrations: lane linkage, outbox relay wake-up). */
    onRecordCommitted(listener: RecordCommittedListener): void {
      commitListeners.push(listener);
    },
    async close() {
      await app.close();
      await payments.close();
      await refundWorker.close();
      await images.close();
      await audit.close();
      await db.close();
    },
  };
}

export type Station = Awaited<ReturnType<typeof createStation>>;
export type RecordCommittedListener = (row: ExitRecordRow, replayed: boolean) => void;
