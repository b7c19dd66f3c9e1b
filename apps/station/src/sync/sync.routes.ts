import { SyncStatusSchema } from '@tollpad/station-api';
import { errorResponses } from '../http/schemas';
import { type App, principalOf } from '../http/types';
import type { AuditService } from '../services/audit.service';
import type { ReferenceSync } from './reference-sync';

/** The reference data's versions in force and the centre sync's health (any role); a manual sync (admin, audited). */
export function registerSyncRoutes(
  app: App,
  sync: Pick<ReferenceSync, 'status' | 'syncOnce'>,
  inForce: () => SyncInForce,
  audit: AuditService,
): void {
  app.get(
    '/sync/status',
    {
      config: { stationAccess: ['collector', 'monitor', 'admin'] },
      schema: {
        tags: ['sync'],
        summary: 'Tariff and list versions in force and the centre sync state',
        response: { 200: SyncStatusSchema, ...errorResponses },
      },
    },
    async () => ({ inForce: inForce(), ...sync.status }),
  );

  app.post(
    '/sync/run',
    {
      config: { stationAccess: ['admin'] },
      schema: {
        tags: ['sync'],
        summary: 'Sync tariff and lists from the centre now; audited with who, the result and before → after',
        response: { 200: SyncStatusSchema, ...errorResponses },
      },
    },
    async (req) => {
      const before = inForce();
      let thrown: unknown;
      let swapped = false;
      try {
        swapped = await sync.syncOnce();
      } catch (e) {
        thrown = e;
      }
      const after = inForce();
      const s = sync.status;
      const errors = [
        ...(s.tariff.error ? [{ part: 'tariff', code: s.tariff.error.code }] : []),
        ...Object.entries(s.lists).flatMap(([kind, l]) =>
          l.error ? [{ part: kind, code: l.error.code }] : [],
        ),
        ...(thrown
          ? [{ part: 'swap', code: thrown instanceof Error ? thrown.message : String(thrown) }]
          : []),
      ];
      await audit.record({
        actor: principalOf(req).accountId,
        action: 'sync.run',
        target: 'centre',
        detail: {
          result: thrown === undefined && s.lastSuccessAt === s.lastRunAt ? 'ok' : 'failed',
          swapped,
          ...(errors.length > 0 ? { errors } : {}),
          before,
          after,
        },
      });
      if (thrown !== undefined) throw thrown;
      return { inForce: after, ...s };
    },
  );
}

export interface SyncInForce {
  tariff: string;
  lists: Record<string, string>;
  listsLoadedAt: string;
}
