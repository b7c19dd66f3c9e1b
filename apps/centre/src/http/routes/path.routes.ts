import { PathEntrySourceSchema, PathFitSchema } from '@tollpad/domain';
import { Type } from 'typebox';
import { CentreError } from '../../errors';
import type { PathQuery } from '../../services/path.service';
import type { Services } from '../../services/services';
import type { Peer } from '../peer';
import { errorResponses, IsoSchema } from '../schemas';
import type { App } from '../types';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

const PhotoRefSchema = Nullable(
  Type.Object({ id: Type.String(), source: Type.Union([Type.Literal('lane'), Type.Literal('gantry')]) }),
);

const PointFields = {
  station: Type.String({ description: '14-char station ID' }),
  stationHex: Nullable(Type.String()),
  name: Nullable(Type.String()),
  time: Nullable(Type.String()),
  photo: PhotoRefSchema,
};

/** The fitted path with its evidence (services/path.service.ts `PathView`). */
export const PathViewSchema = Type.Object({
  passId: Nullable(Type.String()),
  plate: Nullable(Type.String()),
  version: Type.String(),
  fit: PathFitSchema,
  entry: Nullable(
    Type.Object({
      ...PointFields,
      source: PathEntrySourceSchema,
    }),
  ),
  gantries: Type.Array(
    Type.Object({
      id: Type.String(),
      hex: Type.String(),
      time: Nullable(Type.String()),
      fee: Nullable(Type.Integer({ description: "the gantry's interval fee, fen" })),
      observed: Type.Boolean({ description: 'reported by the gantry (else fitted)' }),
      photo: PhotoRefSchema,
    }),
  ),
  exit: Nullable(Type.Object(PointFields)),
});

const ExitQueryFields = {
  exitStation: Type.Optional(Type.String({ minLength: 14, maxLength: 14 })),
  entryStation: Type.Optional(Type.String({ minLength: 8, maxLength: 14 })),
  vehicleClass: Type.Optional(Type.Integer({ minimum: 1, maximum: 26 })),
};

/** Paths and photos are for stations (a collector's exit); a publisher's certificate is refused. */
function station(p: Peer | undefined): void {
  if (p?.role !== 'station') throw new CentreError('CTR_ERR_AUTH_STATION_REQUIRED');
}

export function pathRoutes(app: App, s: Services): void {
  app.get(
    '/passes/:passId/path',
    {
      config: { access: 'station' },
      schema: {
        tags: ['evidence'],
        summary:
          '通行路径 — the fitted path of a PassID: entry, gantries (time, fee, observed or fitted), exit, photo refs',
        description:
          'The exit is the record the centre holds for the pass, else the query names it (an exit in progress).',
        params: Type.Object({ passId: Type.String({ minLength: 36, maxLength: 40 }) }),
        querystring: Type.Object(
          {
            ...ExitQueryFields,
            exitTime: Type.Optional(IsoSchema),
            plate: Type.Optional(Type.String({ minLength: 2, maxLength: 16 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: PathViewSchema, ...errorResponses },
      },
    },
    async (req) => {
      station(req.peer);
      return s.path.ofPass(req.params.passId, req.query as PathQuery);
    },
  );

  app.get(
    '/plates/:plate/path',
    {
      config: { access: 'station' },
      schema: {
        tags: ['evidence'],
        summary:
          "通行路径（按车牌）— a plate's latest trip before `before`: entry inferred as the online fee does",
        params: Type.Object({ plate: Type.String({ minLength: 2, maxLength: 16 }) }),
        querystring: Type.Object(
          {
            ...ExitQueryFields,
            colour: Type.Optional(Type.Integer({ minimum: 0, maximum: 12 })),
            before: Type.Optional(IsoSchema),
          },
          { additionalProperties: false },
        ),
        response: { 200: PathViewSchema, ...errorResponses },
      },
    },
    async (req) => {
      station(req.peer);
      return s.path.ofPlate(req.params.plate, req.query);
    },
  );
}
