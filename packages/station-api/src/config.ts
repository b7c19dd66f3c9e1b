import { type Static, type TSchema, Type } from 'typebox';

/** 系统配置: the station, its plazas and lanes, handheld terminals and their PSAMs, versions in force. */

const orNull = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const StationSchema = Type.Object(
  {
    stationId: Type.String({ minLength: 14, maxLength: 14 }),
    stationHex: Type.String({ pattern: '^[0-9A-F]{8}$' }),
    name: Type.String({ minLength: 1, maxLength: 64 }),
  },
  { additionalProperties: false },
);
export type StationInfo = Static<typeof StationSchema>;

export const PlazaSchema = Type.Object({ id: Type.String(), stationId: Type.String(), name: Type.String() });
export type Plaza = Static<typeof PlazaSchema>;

export const PlazaBody = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 64 }) },
  { additionalProperties: false },
);

/** Who made a change: the account's ID and display name (or the ID alone for the seed and other tools). */
export const ChangedBySchema = Type.Object({ id: Type.String(), name: Type.String() });

export const LaneSchema = Type.Object({
  id: Type.String(),
  plazaId: Type.String(),
  hex: Type.String(),
  name: Type.String(),
  handheldEnabled: Type.Boolean(),
  updatedAt: Type.String(),
  /** Who last enabled or disabled the lane for handheld linkage; null when never switched. */
  changedBy: orNull(ChangedBySchema),
});
export type Lane = Static<typeof LaneSchema>;

export const LaneBody = Type.Object(
  {
    hex: Type.String({ pattern: '^[0-9A-F]{10}$' }),
    name: Type.String({ minLength: 1, maxLength: 64 }),
  },
  { additionalProperties: false },
);

export const LaneEnabledBody = Type.Object({ enabled: Type.Boolean() }, { additionalProperties: false });
export type LaneEnabledChange = Static<typeof LaneEnabledBody>;

/**
 * The lane after 启用/停用出口车道, and the transactions still open on it: a disabled lane takes no new
 * transaction, while those already open finish there (the card may already be debited).
 */
export const LaneEnabledResult = Type.Object({
  ...LaneSchema.properties,
  openTxns: Type.Array(Type.String(), { description: 'IDs of transactions open on the lane' }),
});
export type LaneEnabledOutcome = Static<typeof LaneEnabledResult>;

export const TerminalSchema = Type.Object({
  id: Type.String(),
  /** PSAM terminal number (0016) bound to the handheld; null when none is bound. */
  psamTerminalNo: orNull(Type.String()),
  description: Type.String(),
  enabled: Type.Boolean(),
  updatedAt: Type.String(),
});
export type Terminal = Static<typeof TerminalSchema>;

export const PsamTerminalNo = Type.String({ pattern: '^[0-9A-Fa-f]{12}$' });

export const TerminalBody = Type.Object(
  {
    psamTerminalNo: PsamTerminalNo,
    description: Type.String({ maxLength: 128, default: '' }),
    enabled: Type.Boolean({ default: true }),
  },
  { additionalProperties: false },
);
export type TerminalRegistration = Static<typeof TerminalBody>;

export const PsamBindBody = Type.Object({ psamTerminalNo: PsamTerminalNo }, { additionalProperties: false });
export type PsamBinding = Static<typeof PsamBindBody>;

/**
 * A bound PSAM's authorisation at the centre, as the station learnt it just now: `authorised` / `revoked` (its
 * last answer there), `never` (no authorisation asked yet), `other-station` (the centre's last authorisation
 * of it was for another station), `unreachable` (the centre did not answer in time or failed; `reason` says
 * how), `not-configured` (the station runs without a centre).
 */
export const PsamCentreStateSchema = Type.Union([
  Type.Literal('authorised'),
  Type.Literal('revoked'),
  Type.Literal('never'),
  Type.Literal('other-station'),
  Type.Literal('unreachable'),
  Type.Literal('not-configured'),
]);
export type PsamCentreState = Static<typeof PsamCentreStateSchema>;

export const TerminalPsamStateSchema = Type.Object({
  terminalId: Type.String(),
  psamTerminalNo: Type.String(),
  state: PsamCentreStateSchema,
  /** PSAM serial and lane of the last authorisation, and when (authorised / revoked only). */
  psamNo: orNull(Type.String()),
  laneId: orNull(Type.String()),
  at: orNull(Type.String()),
  reason: orNull(Type.String()),
});
export type TerminalPsamState = Static<typeof TerminalPsamStateSchema>;

export const VersionsSchema = Type.Object({
  tariff: Type.Object({ version: Type.String(), loadedAt: Type.String() }),
  lists: Type.Record(Type.String(), Type.String()),
  listsLoadedAt: Type.String(),
});
export type VersionsInForce = Static<typeof VersionsSchema>;

const SyncErrorSchema = orNull(
  Type.Object({ code: Type.String(), reason: Type.String(), at: Type.String() }),
);

/**
 * The centre sync. A version from `centre` took effect only after its publisher's signature was verified; a
 * `local` one came from the station's own files; a `cache` one (tariff or list) is the centre's version of the
 * last sync, put back in force from the station's disk at a restart, until the centre answers; `error` is the last refusal (e.g.
 * SYNC_SIGNATURE_INVALID).
 */
export const SyncStatusSchema = Type.Object({
  inForce: Type.Object({
    tariff: Type.String(),
    lists: Type.Record(Type.String(), Type.String()),
    listsLoadedAt: Type.String(),
  }),
  lastRunAt: orNull(Type.String()),
  lastSuccessAt: orNull(Type.String()),
  swaps: Type.Integer(),
  tariff: Type.Object({ version: Type.String(), source: Type.String(), error: SyncErrorSchema }),
  lists: Type.Record(
    Type.String(),
    Type.Object({ version: orNull(Type.String()), source: Type.String(), error: SyncErrorSchema }),
  ),
});
export type SyncStatus = Static<typeof SyncStatusSchema>;

export const AuditEntrySchema = Type.Object({
  seq: Type.Integer(),
  at: Type.String(),
  actor: Type.String(),
  action: Type.String(),
  target: Type.String(),
  detail: Type.String({ description: 'JSON: for a change, its before and after' }),
  hash: Type.String(),
});
export type AuditEntryView = Static<typeof AuditEntrySchema>;

export const AuditQuery = Type.Object({
  after: Type.Integer({ minimum: 0, default: 0 }),
  limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
});
