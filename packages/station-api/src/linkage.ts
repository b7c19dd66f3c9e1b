import { type Static, Type } from 'typebox';
import { Nullable } from './common';

/** Lane linkage as the station sees it: link condition, barrier state, the camera's plate. */

/** A plate the lane camera captured, offered to the handheld as a prefill. */
export const LaneVehicleSchema = Nullable(
  Type.Object({
    detectionId: Type.String(),
    plate: Type.String(),
    plateColour: Type.Integer(),
    imageRef: Type.String(),
    confidence: Type.Optional(Type.Number()),
    at: Type.String(),
  }),
);
export type LaneVehicle = Static<typeof LaneVehicleSchema>;

export const LinkedLaneSchema = Type.Object({
  laneId: Type.String(),
  name: Type.String(),
  handheldEnabled: Type.Boolean(),
  link: Type.String({ description: 'online | offline | silent | no-broker | never' }),
  monitorState: Type.String({ description: 'barrier state; UNKNOWN whenever the link is not confirmed' }),
  lastSeenAt: Nullable(Type.String()),
  lastCommand: Nullable(
    Type.Object({
      tradeId: Type.String(),
      outcome: Type.String(),
      code: Type.Optional(Type.String()),
      reason: Type.Optional(Type.String()),
      at: Type.String(),
    }),
  ),
  vehicle: LaneVehicleSchema,
});
export type LinkedLane = Static<typeof LinkedLaneSchema>;

export const LinkageSchema = Type.Object({
  connected: Type.Boolean(),
  brokerRefusal: Nullable(
    Type.Object(
      { code: Type.String(), reason: Type.String() },
      { description: 'the broker refused the station at CONNECT (MQTT_AUTH_REFUSED): check its account' },
    ),
  ),
  lanes: Type.Array(LinkedLaneSchema),
});
export type Linkage = Static<typeof LinkageSchema>;

export const LaneIdParam = Type.Object({ laneId: Type.String({ minLength: 21, maxLength: 21 }) });

export const LaneVehicleAnswer = Type.Object({ laneId: Type.String(), vehicle: LaneVehicleSchema });
