import { type Static, Type } from 'typebox';

/**
 * A 绿通查验 as the station uploads it beside its exit record (issue #22): the centre keeps it and links it to the
 * record by `tradeId` (the record names it by `greenInspectionId`). Photos travel as references (SHA-256 of the
 * station's stored image): the station keeps the bytes; at most 12, each already bounded by the station's image
 * limits.
 */
const ListHit = Type.Object(
  {
    type: Type.Integer({ minimum: 0, maximum: 255 }),
    reason: Type.String({ maxLength: 64 }),
    version: Type.String({ maxLength: 32 }),
  },
  { additionalProperties: false },
);

export const GreenInspectionUploadSchema = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 40 }),
    tradeId: Type.String({ pattern: '^.{21}\\d{16}$' }),
    passId: Type.String({ minLength: 36, maxLength: 40 }),
    exTollStationId: Type.String({ minLength: 14, maxLength: 14 }),
    vehicleId: Type.String({ minLength: 4, maxLength: 40 }),
    result: Type.Union([Type.Literal('pass'), Type.Literal('fail'), Type.Literal('mixed')]),
    passed: Type.Boolean(),
    refusal: Type.Union([Type.String({ maxLength: 200 }), Type.Null()]),
    cargo: Type.Array(Type.String({ pattern: '^[A-Z][0-9]{2}$' }), { minItems: 1, maxItems: 8 }),
    photos: Type.Array(Type.String({ pattern: '^[0-9a-f]{64}$' }), { minItems: 1, maxItems: 12 }),
    appointment: Type.Union([ListHit, Type.Null()]),
    ban: Type.Union([ListHit, Type.Null()]),
    note: Type.Union([Type.String({ maxLength: 200 }), Type.Null()]),
    operId: Type.String({ minLength: 1, maxLength: 32 }),
    inspectedAt: Type.String({ format: 'date-time', maxLength: 40 }),
  },
  { additionalProperties: false },
);
export type GreenInspectionUpload = Static<typeof GreenInspectionUploadSchema>;
