import { type Static, Type } from 'typebox';
import { Nullable } from './common';
import { ExitSchema } from './exits';

/**
 * 绿通查验 (green-channel inspection, issue #22 item 3; cpc-card.md §8): the collector's inspection of a fresh-produce
 * truck on their own exit, before the payment is announced.
 *
 * - `GET /exits/:id/green-inspection` → `GreenChannelView`: the plate's appointment and ban (the centre's lists, as
 *   synced), the photos the station asks for, and the exit's latest inspection (or null).
 * - `POST /exits/:id/green-inspection` with `GreenInspectionBody` (photos uploaded to `/images` first) → 201
 *   `GreenInspectionAnswer`: the inspection (kept whatever it found) and the transaction, re-priced when it was
 *   priced: a pass prices kind 21 free (fee 0, payFee = the computed amount, special 128), a fail or a mixed load
 *   the normal kind with special 126. A banned plate is recorded and does not pass (`refusal`).
 * - 【算费】 with kind 21 needs a passed inspection of this exit (else 409 STN_ERR_GREEN_NOT_INSPECTED).
 * - A free exit (fee 0) of a CPC is announced as `{ payment: 'free', amount: 0 }` (payments.ts) and commits
 *   without cash or QR; an ETC exit still makes its 0-fen composite purchase (0019 written).
 */

/** A cargo code of the catalogue (packages/domain green-cargo.ts), e.g. `V01`. */
export const GreenCargoCode = Type.String({ pattern: '^[A-Z][0-9]{2}$' });

/** 合格 / 不合格 / 混装 (a load mixing catalogue and other goods). */
export const GREEN_RESULTS = ['pass', 'fail', 'mixed'] as const;
export type GreenResult = (typeof GREEN_RESULTS)[number];

export const GreenInspectionBody = Type.Object(
  {
    cargo: Type.Array(GreenCargoCode, { minItems: 1, maxItems: 8, uniqueItems: true }),
    result: Type.Enum(GREEN_RESULTS),
    /** Photos of the load from several sides, each uploaded to /images first (its bounds apply there). */
    photos: Type.Array(Type.String({ pattern: '^[0-9a-f]{64}$' }), {
      minItems: 1,
      maxItems: 12,
      uniqueItems: true,
    }),
    note: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);
export type GreenInspectionRequest = Static<typeof GreenInspectionBody>;

/** A green-channel list entry for the plate (appointment or ban), with the version that answered. */
export const GreenListHitSchema = Type.Object({
  type: Type.Integer(),
  reason: Type.String(),
  version: Type.String(),
});
export type GreenListHit = Static<typeof GreenListHitSchema>;

export const GreenListStatusSchema = Type.Object({
  vehicleId: Type.String(),
  appointment: Nullable(GreenListHitSchema),
  ban: Nullable(GreenListHitSchema),
});
export type GreenListStatus = Static<typeof GreenListStatusSchema>;

export const GreenInspectionSchema = Type.Object({
  id: Type.String(),
  txnId: Type.String(),
  vehicleId: Type.String(),
  cargo: Type.Array(Type.String()),
  result: Type.Enum(GREEN_RESULTS),
  /** The effect: true only for a pass of a plate not banned (a mixed load passes only where allowed). */
  passed: Type.Boolean(),
  /** Why a pass was not given (ban, mixed load), in Chinese; null when passed or judged failed. */
  refusal: Nullable(Type.String()),
  photos: Type.Array(Type.String()),
  appointment: Nullable(GreenListHitSchema),
  ban: Nullable(GreenListHitSchema),
  note: Nullable(Type.String()),
  collectorId: Type.String(),
  createdAt: Type.String(),
});
export type GreenInspection = Static<typeof GreenInspectionSchema>;

export const GreenChannelViewSchema = Type.Object({
  status: GreenListStatusSchema,
  /** Photos of the load the station asks for (a setting). */
  minPhotos: Type.Integer(),
  /** Whether a mixed load (混装) may pass in this province (a setting). */
  mixedAllowed: Type.Boolean(),
  inspection: Nullable(GreenInspectionSchema),
});
export type GreenChannelView = Static<typeof GreenChannelViewSchema>;

export const GreenInspectionAnswerSchema = Type.Object({
  inspection: GreenInspectionSchema,
  transaction: ExitSchema,
});
export type GreenInspectionAnswer = Static<typeof GreenInspectionAnswerSchema>;
