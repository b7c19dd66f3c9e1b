import Type from 'typebox';

/**
 * The pieces of a fitted path that read the same wherever it travels: the centre's answer (apps/centre
 * path.routes.ts), the station's reading of it (apps/station ports/centre-path.ts) and the station's answer to
 * the handheld (@tollpad/station-api path.ts). Each wraps them in its own bounds and fields.
 */

/** The fit's outcome: ok with the fee (fen), its 95 % bound, the mileage and how many gantries were fitted; or why not. */
export const PathFitSchema = Type.Union([
  Type.Object({
    ok: Type.Literal(true),
    fee: Type.Integer(),
    fee95: Type.Integer(),
    mileageM: Type.Integer(),
    fittedCount: Type.Integer(),
  }),
  Type.Object({
    ok: Type.Literal(false),
    reason: Type.String(),
    special: Type.Union([Type.Integer(), Type.Null()]),
  }),
]);

/** Where the path's entry came from: the card, the driver's statement, a lane capture, a gantry. */
export const PathEntrySourceSchema = Type.Union([
  Type.Literal('card'),
  Type.Literal('stated'),
  Type.Literal('lane-capture'),
  Type.Literal('gantry'),
]);
