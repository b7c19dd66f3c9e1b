import { LIST_KINDS } from '@tollpad/lists';
import type { CentreConfig } from './config';
import { type OpenedDatabase, openDatabase } from './db/database';
import { buildApp } from './http/app';
import { createMetrics } from './http/metrics';
import { RejectionsRepository } from './repositories/rejections.repository';
import { seedCentre } from './seed';
import { seedArrears } from './seed-arrears';
import { ArrearsService } from './services/arrears.service';
import { ClearingService } from './services/clearing.service';
import { EvidenceService } from './services/evidence.service';
import { GreenInspectionsService } from './services/green-inspections.service';
import { ListsService } from './services/lists.service';
import { PassagesService } from './services/passages.service';
import { PathService } from './services/path.service';
import { type PsamAuthoriser, PsamService, testPsamAuthoriser } from './services/psam.service';
import { PsamStateService } from './services/psam-state.service';
import { loadPublisher } from './services/publisher';
import { RecordsService } from './services/records.service';
import type { Services } from './services/services';
import { type TacVerifier, testKeyTacVerifier } from './services/tac';
import { TariffService } from './services/tariff.service';
import { centreServerTls } from './tls/centre-tls';

export interface CentreOptions {
  config: CentreConfig;
  /** Injected clock (tests move time for list slots and tariff activation). */
  now?: () => Date;
  logger?: boolean | { level: string };
  sqliteFile?: string;
  /** Replace the TEST-key TAC check / PSAM authoriser with a real issuer or HSM adapter. */
  tacVerifier?: TacVerifier;
  psamAuthoriser?: PsamAuthoriser;
  extraCardEntries?: readonly { key: string; type: number }[];
}

/** Opens the database, loads tariffs and lists, seeds the demo world if empty, wires the HTTP app. */
export async function createCentre(opts: CentreOptions) {
  const { config } = opts;
  const now = opts.now ?? (() => new Date());
  const db: OpenedDatabase = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: config.pgPoolSize,
    ...(opts.sqliteFile ? { sqliteFile: opts.sqliteFile } : {}),
  });
  const metrics = createMetrics();
  const rejections = new RejectionsRepository(db.db);
  const publisher = await loadPublisher({ keyFile: config.publisherKeyFile, dataDir: config.dataDir });
  const tariffs = new TariffService(db.db, rejections, now, publisher);
  const lists = new ListsService(db.db, rejections, now, publisher, {
    deltaMinutes: config.listDeltaMinutes || 5,
    fullEveryDeltas: 288,
  });
  const arrears = new ArrearsService(db.db, db.ops, rejections, now);
  try {
    await tariffs.load();
    await lists.load();
    if (config.seedOnStart) {
      await seedCentre(tariffs, lists, {
        seed: config.seed,
        cardListSize: config.seedCardListSize,
        extraCardEntries: [...config.seedCardEntries, ...(opts.extraCardEntries ?? [])],
      });
      // The training plates' TEST arrears, on the chase list from the first version after the seed.
      if ((await seedArrears(arrears, tariffs)) > 0) await lists.cutDelta('vehicle-chase');
    }
  } catch (e) {
    await db.close();
    throw e;
  }
  const revokedPsams = new Set(config.revokedPsams);
  const passages = new PassagesService(db.db, tariffs, rejections, now);
  const evidence = new EvidenceService(db.db, tariffs, now);
  const services: Services = {
    db,
    now,
    rejections,
    tariffs,
    lists,
    records: new RecordsService(
      db.db,
      db.ops,
      tariffs,
      opts.tacVerifier ?? testKeyTacVerifier(),
      rejections,
      now,
      { unknownIssuer: config.unknownIssuer },
      { onOutcome: (outcome) => metrics.recordIngest.inc({ outcome }) },
    ),
    greenInspections: new GreenInspectionsService(db.db, rejections, now),
    passages,
    evidence,
    path: new PathService(db.db, passages, evidence),
    psam: new PsamService(db.db, now, opts.psamAuthoriser ?? testPsamAuthoriser, revokedPsams),
    psamState: new PsamStateService(db.db, revokedPsams),
    clearing: new ClearingService(db.db),
    arrears,
  };
  const https = config.plainHttp ? undefined : await centreServerTls(config.tlsDir, config.tlsHosts);
  const { app, routeTable } = await buildApp(services, metrics, {
    logger: opts.logger ?? { level: config.logLevel },
    bodyLimitBytes: config.bodyLimitBytes,
    apiToken: config.apiToken,
    metricsToken: config.metricsToken,
    ...(https ? { https } : {}),
    plainHttpTestPeers: config.plainHttp,
  });

  // The 5-minute delta tick: cuts a delta for every kind with queued changes.
  let timer: NodeJS.Timeout | undefined;
  if (config.listDeltaMinutes > 0) {
    timer = setInterval(() => {
      void (async () => {
        for (const kind of LIST_KINDS) {
          try {
            await lists.cutDelta(kind);
          } catch (e) {
            app.log.error({ err: e, kind }, 'list delta cut failed');
          }
        }
      })();
    }, config.listDeltaMinutes * 60_000);
    timer.unref();
  }

  return {
    app,
    routeTable,
    services,
    metrics,
    async close() {
      if (timer) clearInterval(timer);
      await app.close();
      await db.close();
    },
  };
}

export type Centre = Awaited<ReturnType<typeof createCentre>>;
