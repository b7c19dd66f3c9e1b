import { PathEntrySourceSchema, PathFitSchema } from '@tollpad/domain';
import { type Static, Type } from 'typebox';
import { IdParam, Nullable } from './common';

/**
 * A photo of the path, fetched through `GET /exits/:id/path/photos/:ref`: `c-<id>` a lane or gantry photo the
 * centre holds (its SHA-256), `s-<sha256>` a photo the station holds (the exit lane's, taken at 【提交图片数据】).
 */
export const PathPhotoRef = Type.String({ pattern: '^[cs]-[0-9a-f]{64}$', maxLength: 66 });

export const PathPhotoSchema = Nullable(
  Type.Object({
    ref: PathPhotoRef,
    /** Who took it: an entry/exit lane camera, a gantry camera, or the collector at this exit. */
    source: Type.Union([Type.Literal('lane'), Type.Literal('gantry'), Type.Literal('exit')]),
  }),
);

/** A node's map position (metres east/north, the network's display-only coordinates [P]); null: unknown. */
export const PathAtSchema = Nullable(Type.Object({ x: Type.Integer(), y: Type.Integer() }));

const PointFields = {
  /** 14-char station ID. */
  station: Type.String(),
  stationHex: Nullable(Type.String()),
  name: Nullable(Type.String()),
  time: Nullable(Type.String()),
  photo: PathPhotoSchema,
  at: PathAtSchema,
};

export const PathGantrySchema = Type.Object({
  /** 19-char gantry ID when the network knows it, else the HEX. */
  id: Type.String(),
  hex: Type.String(),
  time: Nullable(Type.String()),
  /** The fee of the interval the gantry stands on (fen); null when the path was not fitted. */
  fee: Nullable(Type.Integer()),
  /** Reported by the gantry (or written on the card) — else fitted. */
  observed: Type.Boolean(),
  photo: PathPhotoSchema,
  at: PathAtSchema,
});

/**
 * 通行路径 of one exit (`GET /exits/:id/path`): the centre's fitted path with its photos (`source: 'centre'`),
 * or — the centre unreachable, slow or without the pass — what the station knows (`source: 'station'`: the
 * card's entry and the gantries written on a CPC, the stated entry of a no-card exit), `note` saying so.
 */
export const ExitPathSchema = Type.Object({
  exitId: Type.String(),
  source: Type.Union([Type.Literal('centre'), Type.Literal('station')]),
  note: Nullable(Type.String()),
  passId: Nullable(Type.String()),
  plate: Nullable(Type.String()),
  /** spcRateVersion the path was fitted on. */
  version: Nullable(Type.String()),
  fit: Nullable(PathFitSchema),
  entry: Nullable(
    Type.Object({
      ...PointFields,
      source: PathEntrySourceSchema,
    }),
  ),
  gantries: Type.Array(PathGantrySchema),
  exit: Nullable(Type.Object(PointFields)),
});
export type ExitPath = Static<typeof ExitPathSchema>;
export type PathPhoto = NonNullable<Static<typeof PathPhotoSchema>>;

export const PathPhotoParams = Type.Object({ id: IdParam.properties.id, ref: PathPhotoRef });
