import { LaneIdParam, LaneVehicleAnswer, LinkageSchema } from '@tollpad/station-api';
import { errorResponses } from '../http/schemas';
import type { App } from '../http/types';
import type { LaneLinkage } from './lane-linkage';

export interface LaneDirectory {
  listLanes(): Promise<{ id: string; name: string; handheld_enabled: number }[]>;
}

/** Lane states for the monitor/home screen and the camera's plate as a prefill for the handheld. */
export function registerLinkageRoutes(app: App, linkage: LaneLinkage, lanes: LaneDirectory): void {
  app.get(
    '/linkage/lanes',
    {
      config: { stationAccess: ['collector', 'monitor', 'admin'] },
      schema: {
        tags: ['linkage'],
        summary: 'Linked lanes: link condition, barrier state (UNKNOWN on a lost link), last command',
        response: { 200: LinkageSchema, ...errorResponses },
      },
    },
    async () => ({
      connected: linkage.client.connected,
      brokerRefusal: refusalOf(linkage),
      lanes: (await lanes.listLanes()).map((l) => {
        const s = linkage.lane(l.id);
        return {
          laneId: l.id,
          name: l.name,
          handheldEnabled: l.handheld_enabled === 1,
          link: s?.link ?? 'never',
          monitorState: s?.monitorState ?? 'UNKNOWN',
          lastSeenAt: s?.lastSeenMs !== undefined ? new Date(s.lastSeenMs).toISOString() : null,
          lastCommand: linkage.lastCommand(l.id),
          vehicle: linkage.prefill(l.id),
        };
      }),
    }),
  );

  app.get(
    '/linkage/lanes/:laneId/vehicle',
    {
      config: { stationAccess: ['collector', 'monitor', 'admin'] },
      schema: {
        tags: ['linkage'],
        summary: "The lane camera's captured plate, offered as a prefill (null when none is fresh)",
        params: LaneIdParam,
        response: { 200: LaneVehicleAnswer, ...errorResponses },
      },
    },
    async (req) => ({ laneId: req.params.laneId, vehicle: linkage.prefill(req.params.laneId) }),
  );
}

function refusalOf(linkage: LaneLinkage): { code: string; reason: string } | null {
  const e = linkage.client.brokerRefusal;
  return e ? { code: e.code, reason: e.reason } : null;
}
