import type { Registry } from 'prom-client';
import type { ExitRecordRow } from '../db/schema';
import type { App } from '../http/types';
import { LaneLinkage } from '../linkage/lane-linkage';
import { registerLinkageRoutes } from '../linkage/linkage.routes';
import { loadLinkageSecurity } from '../linkage/linkage-security';
import { createCentreUploader } from '../outbox/centre-uploader';
import { registerOutboxRoutes } from '../outbox/outbox.routes';
import { registerOutboxMetrics } from '../outbox/outbox-metrics';
import { type OutboxRelay, type RelayLog, startOutboxRelay } from '../outbox/outbox-relay';
import type { Services } from '../services/services';
import { createCentreHttp } from '../sync/centre-http';
import { centreFetch, loadPublisherKeys } from '../sync/centre-tls';
import { ReferenceCache } from '../sync/reference-cache';
import { type ReferenceSync, startReferenceSync } from '../sync/reference-sync';
import { registerSyncRoutes } from '../sync/sync.routes';
import type { IntegrationsConfig } from './integrations-config';

export interface IntegrationPorts {
  app: App;
  services: Services;
  registry: Registry;
  log: RelayLog;
}

/** The outbox relay and the reference sync: both talk to the centre (nothing starts without CENTRE_URL). */
export async function startCentreLinks(
  ports: IntegrationPorts,
  cfg: IntegrationsConfig,
): Promise<{ relay: OutboxRelay | undefined; sync: ReferenceSync | undefined }> {
  const { app, services, log } = ports;
  if (!cfg.centreUrl) {
    log.warn({}, 'CENTRE_URL not set: records stay in the outbox, no tariff/list sync');
    return { relay: undefined, sync: undefined };
  }
  const viaTls = centreFetch(cfg.centreTrust);
  const publishers = loadPublisherKeys(cfg.centreTrust);
  if (publishers.length === 0)
    log.warn({}, 'CENTRE_PUBLISHER_KEY_FILE not set: every tariff and list file from the centre is refused');
  let relay: OutboxRelay | undefined;
  const metrics = registerOutboxMetrics(ports.registry, () => relay);
  relay = await startOutboxRelay({
    db: services.db.db,
    upload: createCentreUploader({
      centreUrl: cfg.centreUrl,
      timeoutMs: cfg.outbox.timeoutMs,
      ...(cfg.centreToken ? { token: cfg.centreToken } : {}),
      fetch: viaTls,
    }),
    backoff: { baseMs: cfg.outbox.backoffBaseMs, maxMs: cfg.outbox.backoffMaxMs },
    pollMs: cfg.outbox.pollMs,
    laneConcurrency: cfg.outbox.laneConcurrency,
    log,
    onOutcome: (o) => metrics.count(o),
    onRejected: async (tradeId, code, detail) => {
      await services.audit.record({
        actor: 'outbox-relay',
        action: 'outbox.rejected',
        target: tradeId,
        detail: { code, detail },
      });
    },
  });
  registerOutboxRoutes(app, relay, services.now, services.audit);
  const sync = await startReferenceSync({
    reference: services.reference,
    http: createCentreHttp({
      centreUrl: cfg.centreUrl,
      timeoutMs: cfg.sync.timeoutMs,
      ...(cfg.centreToken ? { token: cfg.centreToken } : {}),
      fetch: viaTls,
    }),
    publishers,
    intervalMs: cfg.sync.intervalMs,
    retryMs: cfg.sync.retryMs,
    firstSyncTimeoutMs: cfg.sync.firstSyncTimeoutMs,
    kindIntervalMs: {
      'vehicle-green': cfg.sync.greenIntervalMs,
      'vehicle-green-ban': cfg.sync.greenIntervalMs,
    },
    ...(cfg.sync.referenceCacheDir ? { cache: new ReferenceCache(cfg.sync.referenceCacheDir) } : {}),
    log,
  });
  registerSyncRoutes(
    app,
    sync,
    () => {
      const v = services.reference.versions();
      return { tariff: v.tariff.version, lists: v.lists, listsLoadedAt: v.listsLoadedAt };
    },
    services.audit,
  );
  return { relay, sync };
}

/** Lane linkage over MQTT for the configured station (started after the station is configured). */
export async function startLaneLinks(
  ports: IntegrationPorts,
  cfg: IntegrationsConfig,
): Promise<LaneLinkage | undefined> {
  const { app, services, log } = ports;
  if (!cfg.linkage.enabled) return undefined;
  const station = await services.config.station();
  if (!station) {
    log.warn({}, 'no station configured: lane linkage not started');
    return undefined;
  }
  const linkage = await LaneLinkage.start({
    stationId: station.stationId,
    ...(cfg.linkage.mqttUrl ? { mqttUrl: cfg.linkage.mqttUrl } : {}),
    embeddedPort: cfg.linkage.embeddedPort,
    ...(cfg.linkage.topicRoot ? { topicRoot: cfg.linkage.topicRoot } : {}),
    ...loadLinkageSecurity(cfg.linkage),
    log,
  });
  log.info({ mqtt: linkage.url, embedded: linkage.broker !== undefined }, 'lane linkage started');
  registerLinkageRoutes(app, linkage, services.config);
  return linkage;
}

/** What a committed record sets off: the relay uploads it now, the lane shows the fee and opens. */
export function dispatchCommitted(
  links: { relay: OutboxRelay | undefined; linkage: LaneLinkage | undefined },
  row: ExitRecordRow,
  replayed: boolean,
): void {
  if (!replayed) links.relay?.wake();
  // A replayed commit (lost answer, handheld retry) re-sends the open; the lane answers `duplicate`.
  void links.linkage?.recordCommitted({
    tradeId: row.trade_id,
    laneId: row.lane_id,
    recordJson: row.record_json,
  });
}
