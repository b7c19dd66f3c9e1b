import { Type } from 'typebox';
import type { Services } from '../../services/services';
import { errorResponses, IsoSchema } from '../schemas';
import type { App } from '../types';

/** A plate as text (e.g. 鲁A12345); the service checks it is one of the national forms. */
const PlateSchema = Type.String({ minLength: 2, maxLength: 16, description: 'plate, e.g. 鲁A12345' });

const PassageSchema = Type.Object(
  {
    passId: Type.String({ minLength: 36, maxLength: 40 }),
    gantry: Type.String({ minLength: 6, maxLength: 19, description: '19-char gantry ID or 6-char hex' }),
    time: IsoSchema,
    vehicleClass: Type.Optional(Type.Integer({ minimum: 1, maximum: 26 })),
    plate: Type.Optional(PlateSchema),
  },
  { additionalProperties: false },
);

/** Set only when the request named no entry (a vehicle with no card). */
const InferredEntrySchema = {
  entryStation: Type.Optional(Type.String({ description: 'the inferred entry, 14-char station ID' })),
  entrySource: Type.Optional(
    Type.Union([Type.Literal('lane-capture'), Type.Literal('gantry')], {
      description: "the plate's latest entry-lane capture, or the station upstream of its first gantry [P]",
    }),
  ),
};

const GantrySchema = Type.Object({ id: Type.String(), hex: Type.String(), observed: Type.Boolean() });

export function passageRoutes(app: App, s: Services): void {
  app.post(
    '/gantry-passages',
    {
      config: { access: 'station' },
      schema: {
        tags: ['online fee'],
        summary: '门架通行记录 — gantry passages (idempotent on passId + time + gantry)',
        body: Type.Object(
          { passages: Type.Array(PassageSchema, { maxItems: 10_000 }) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ accepted: Type.Integer(), duplicates: Type.Integer() }),
          ...errorResponses,
        },
      },
    },
    async (req) => s.passages.intake(req.body.passages),
  );

  app.get(
    '/passes/:passId/passages',
    {
      config: { access: 'station' },
      schema: {
        tags: ['online fee'],
        summary: 'The gantry passages the centre holds for one PassID, in time order',
        params: Type.Object({ passId: Type.String({ minLength: 36, maxLength: 40 }) }),
        response: {
          200: Type.Object({
            passId: Type.String(),
            passages: Type.Array(
              Type.Object({ gantry: Type.String(), gantryHex: Type.String(), time: Type.String() }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => ({ passId: req.params.passId, passages: await s.passages.passagesOf(req.params.passId) }),
  );

  app.post(
    '/online-fee',
    {
      config: { access: 'station' },
      schema: {
        tags: ['online fee'],
        summary:
          '省中心在线计费 — online fee by path fitting over the passages held for the PassID (and, by plate, its recent ones)',
        description:
          'A vehicle with no card (no PassID, no entry) is asked by `plate` alone: the centre infers the entry ' +
          "from the plate's most recent entry-lane capture in the window (`entrySource: 'lane-capture'`), else " +
          "the station upstream of the plate's first gantry passage (`'gantry'`, a proposal), and answers the " +
          'inferred `entryStation` (14-char station ID) with the fee. A plate the centre holds nothing of in the ' +
          'window answers `ok: false, plateUnknown: true` with a reason: the station takes its next fallback.',
        body: Type.Object(
          {
            passId: Type.Optional(
              Type.String({ minLength: 36, maxLength: 40, description: 'absent for a vehicle with no card' }),
            ),
            entryStation: Type.Optional(
              Type.String({
                minLength: 8,
                maxLength: 14,
                description: '14-char ID or 8-char hex; absent → inferred from `plate` (required then)',
              }),
            ),
            exitStation: Type.String({ minLength: 8, maxLength: 14 }),
            vehicleClass: Type.Integer({ minimum: 1, maximum: 26 }),
            exitTime: Type.Optional(IsoSchema),
            plate: Type.Optional(
              Type.String({
                minLength: 2,
                maxLength: 16,
                description:
                  "the actual plate (a CPC's online fee; a vehicle with no card): with no gantries, its recent passages are fitted",
              }),
            ),
            gantries: Type.Optional(
              Type.Array(
                Type.Object({
                  gantry: Type.String({ minLength: 6, maxLength: 19 }),
                  time: Type.Optional(IsoSchema),
                }),
                { maxItems: 500 },
              ),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Union([
            Type.Object({
              ok: Type.Literal(true),
              level: Type.Literal('province'),
              exitFeeType: Type.Literal(4),
              fee: Type.Integer({ description: 'full fee, fen' }),
              fee95: Type.Integer({ description: 'ETC fee (per-interval discount), fen' }),
              mileageM: Type.Integer(),
              intervals: Type.Array(Type.String()),
              intervalFees: Type.Array(Type.Integer()),
              intervalFees95: Type.Array(Type.Integer()),
              gantries: Type.Array(GantrySchema),
              fittedCount: Type.Integer(),
              passagesUsed: Type.Integer(),
              version: Type.String({ description: 'tariff version used (spcRateVersion)' }),
              ...InferredEntrySchema,
            }),
            Type.Object({
              ok: Type.Literal(false),
              level: Type.Literal('province'),
              special: Type.Optional(Type.Union([Type.Literal(66), Type.Literal(67), Type.Literal(68)])),
              plateUnknown: Type.Optional(
                Type.Literal(true, {
                  description: 'no entry capture and no passage of the plate in the window',
                }),
              ),
              reason: Type.String(),
              passagesUsed: Type.Integer(),
              version: Type.String(),
              ...InferredEntrySchema,
            }),
          ]),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const b = req.body;
      return s.passages.onlineFee({
        ...(b.passId !== undefined ? { passId: b.passId } : {}),
        ...(b.entryStation !== undefined ? { entryStation: b.entryStation } : {}),
        exitStation: b.exitStation,
        vehicleClass: b.vehicleClass,
        ...(b.exitTime !== undefined ? { exitTime: b.exitTime } : {}),
        ...(b.plate !== undefined ? { plate: b.plate } : {}),
        ...(b.gantries !== undefined
          ? {
              gantries: b.gantries.map((g) =>
                g.time === undefined ? { gantry: g.gantry } : { gantry: g.gantry, time: g.time },
              ),
            }
          : {}),
      });
    },
  );
}
