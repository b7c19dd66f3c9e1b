import { Type } from 'typebox';
import { errorResponses } from '../http/schemas';
import type { App } from '../http/types';
import type { LaneLinkage } from './lane-linkage';

const Vehicle = Type.Union([
  Type.Object({
    detectionId: Type.String(),
    plate: Type.String(),
    plateColour: Type.Integer(),
    imageRef: Type.String(),
    confidence: Type.Optional(Type.Number()),
    at: Type.String(),
  }),
  Type.Null(),
]);

const LaneView = Type.Object({
  laneId: Type.String(),
  name: Type.String(),
  handheldEnabled: Type.Boolean(),
  link: Type.String({ description: 'online | offline | silent | no-broker | never' }),
  monitorState: Type.String({ description: 'barrier state; UNKNOWN whenever the link is not confirmed' }),
  lastSeenAt: Type.Union([Type.String(), Type.Null()]),
  lastCommand: Type.Union([
    Type.Object({
      tradeId: Type.String(),
      outcome: Type.String(),
      code: Type.Optional(Type.String()),
      reason: Type.Optional(Type.String()),
      at: Type.String(),
    }),
    Type.Null(),
  ]),
  vehicle: Vehicle,
});

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
        response: {
          200: Type.Object({
            connected: Type.Boolean(),
            brokerRefusal: Type.Union([
              Type.Object(
                { code: Type.String(), reason: Type.String() },
                {
                  description:
                    'the broker refused the station at CONNECT (MQTT_AUTH_REFUSED): check its account',
                },
              ),
              Type.Null(),
            ]),
            lanes: Type.Array(LaneView),
          }),
          ...errorResponses,
        },
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
        params: Type.Object({ laneId: Type.String({ minLength: 21, maxLength: 21 }) }),
        response: {
          200: Type.Object({ laneId: Type.String(), vehicle: Vehicle }),
          ...errorResponses,
        },
      },
    },
    async (req) => ({ laneId: req.params.laneId, vehicle: linkage.prefill(req.params.laneId) }),
  );
}

function refusalOf(linkage: LaneLinkage): { code: string; reason: string } | null {
  const e = linkage.client.brokerRefusal;
  return e ? { code: e.code, reason: e.reason } : null;
}
