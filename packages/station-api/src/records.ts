import type { ExitRecord } from '@tollpad/domain';
import { type Static, Type } from 'typebox';
import { Nullable, OpenObject } from './common';

/** Exit records: search, one record, corrections (a new linked record; the original never changes). */

export const RecordSchema = Type.Object({
  tradeId: Type.String(),
  kind: Type.String(),
  supersedes: Nullable(Type.String()),
  laneId: Type.String(),
  cardId: Type.String(),
  vehicleId: Type.String(),
  exTime: Type.String(),
  specialTypes: Type.Array(Type.Integer()),
  exitFeeType: Type.Integer(),
  fee: Type.Integer(),
  record: OpenObject<ExitRecord>(),
});
export type StoredRecord = Static<typeof RecordSchema>;
export const RecordListSchema = Type.Array(RecordSchema);

export const RecordQuery = Type.Object({
  from: Type.Optional(Type.String({ format: 'date-time' })),
  to: Type.Optional(Type.String({ format: 'date-time' })),
  laneId: Type.Optional(Type.String({ maxLength: 21 })),
  cardId: Type.Optional(Type.String({ pattern: '^\\d{20}$' })),
  vehicleId: Type.Optional(Type.String({ maxLength: 20 })),
  special: Type.Optional(Type.Integer({ minimum: 0, maximum: 999 })),
  shiftId: Type.Optional(Type.String({ maxLength: 64 })),
  limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
});
export type RecordSearch = Static<typeof RecordQuery>;

export const TradeIdParam = Type.Object({ tradeId: Type.String({ minLength: 1, maxLength: 64 }) });

export const CorrectionBody = Type.Object(
  {
    vehicleClass: Type.Optional(Type.Integer({ minimum: 1, maximum: 26 })),
    vehicleKind: Type.Optional(Type.Integer({ minimum: 0, maximum: 28 })),
    plate: Type.Optional(Type.String({ minLength: 1, maxLength: 16 })),
    plateColour: Type.Optional(Type.Integer({ minimum: 0, maximum: 99 })),
    reason: Type.String({ minLength: 1, maxLength: 200 }),
  },
  { additionalProperties: false },
);
export type Correction = Static<typeof CorrectionBody>;
