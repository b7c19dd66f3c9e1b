import type { Registry } from 'prom-client';
import type { ExitRecordRow } from '../db/schema';
import type { App } from '../http/types';
import { LaneLinkage } from '../linkage/lane-linkage';
import { registerLinkageRoutes } from '../linkage/linkage.routes';
import { createCentreUploader } from '../outbox/centre-uploader';
import { registerOutboxRoutes } from '../outbox/outbox.routes';
import { registerOutboxMetrics } from '../outbox/outbox-metrics';
import { type OutboxRelay, type RelayLog, startOutboxRelay } from '../outbox/outbox-relay';
import type { Services } from '../services/services';
import { createCentreHttp } from '../sync/centre-http';
import { type ReferenceSync, startReferenceSync } from '../sync/reference-sync';
import { registerSyncRoutes } from '../sync/sync.routes';
import type { IntegrationsConfig } from './integrations-config';

export interface IntegrationPorts {
  app: App;
  services: Services;
  registry: Registry;
  log: RelayLog;
}

export interface Integrations {
  relay: OutboxRelay | undefined;
  sync: ReferenceSync | undefined;
  linkage: LaneLinkage | undefined;
  /** Call after every committed exit record (and on a replayed commit: the lane dedups the open). */
  recordCommitted(row: ExitRecordRow, replayed: boolean): void;
  stop(): Promise<void>;
}

/**
 * Starts the station's links: the outbox relay and the reference sync to the centre, and the lane
 * linkage over MQTT; registers their routes and metrics on the (not yet listening) app.
 */
export async function startIntegrations(
  ports: IntegrationPorts,
  cfg: IntegrationsConfig,
): Promise<Integrations> {
  const { app, services, log } = ports;
  let relay: OutboxRelay | undefined;
  let sync: ReferenceSync | undefined;
  let linkage: LaneLinkage | undefined;

  if (cfg.centreUrl) {
    const metrics = registerOutboxMetrics(ports.registry, () => relay);
    relay = await startOutboxRelay({
      db: services.db.db,
      upload: createCentreUploader({
        centreUrl: cfg.centreUrl,
        timeoutMs: cfg.outbox.timeoutMs,
        ...(cfg.centreToken ? { token: cfg.centreToken } : {}),
      }),
      backoff: { baseMs: cfg.outbox.backoffBaseMs, maxMs: cfg.outbox.backoffMaxMs },
      pollMs: cfg.outbox.pollMs,
      laneConcurrency: cfg.outbox.laneConcurrency,
      log,
      onOutcome: (o) => metrics.count(o),
    });
    registerOutboxRoutes(app, relay, services.now);
    sync = await startReferenceSync({
      reference: services.reference,
      http: createCentreHttp({
        centreUrl: cfg.centreUrl,
        timeoutMs: cfg.sync.timeoutMs,
        ...(cfg.centreToken ? { token: cfg.centreToken } : {}),
      }),
      intervalMs: cfg.sync.intervalMs,
      firstSyncTimeoutMs: cfg.sync.firstSyncTimeoutMs,
      log,
    });
    const s = sync;
    registerSyncRoutes(app, s, () => {
      const v = services.reference.versions();
      return { tariff: v.tariff.version, lists: v.lists, listsLoadedAt: v.listsLoadedAt };
    });
  } else {
    log.warn({}, 'CENTRE_URL not set: records stay in the outbox, no tariff/list sync');
  }

  if (cfg.linkage.enabled) {
    const station = await services.config.station();
    if (station) {
      linkage = await LaneLinkage.start({
        stationId: station.stationId,
        ...(cfg.linkage.mqttUrl ? { mqttUrl: cfg.linkage.mqttUrl } : {}),
        embeddedPort: cfg.linkage.embeddedPort,
        ...(cfg.linkage.topicRoot ? { topicRoot: cfg.linkage.topicRoot } : {}),
        log,
      });
      log.info({ mqtt: linkage.url, embedded: linkage.broker !== undefined }, 'lane linkage started');
      registerLinkageRoutes(app, linkage, services.config);
    } else {
      log.warn({}, 'no station configured: lane linkage not started');
    }
  }

  return {
    relay,
    sync,
    linkage,
    recordCommitted(row, replayed) {
      if (!replayed) relay?.wake();
      void linkage?.recordCommitted({
        tradeId: row.trade_id,
        laneId: row.lane_id,
        recordJson: row.record_json,
      });
    },
    async stop() {
      await sync?.stop();
      await relay?.stop();
      await linkage?.stop();
    },
  };
}
