import { SyncStatusSchema } from '@tollpad/station-api';
import { errorResponses } from '../http/schemas';
import type { App } from '../http/types';
import type { ReferenceSync } from './reference-sync';

/** The monitor's view of the reference data: versions in force and the health of the centre sync. */
export function registerSyncRoutes(app: App, sync: ReferenceSync, inForce: () => SyncInForce): void {
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
        summary: 'Sync tariff and lists from the centre now',
        response: { 200: SyncStatusSchema, ...errorResponses },
      },
    },
    async () => {
      await sync.syncOnce();
      return { inForce: inForce(), ...sync.status };
    },
  );
}

export interface SyncInForce {
  tariff: string;
  lists: Record<string, string>;
  listsLoadedAt: string;
}
