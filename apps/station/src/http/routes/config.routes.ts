import { Type } from 'typebox';
import type { LaneRow } from '../../db/schema';
import type { TerminalRow } from '../../repositories/config.repository';
import type { Services } from '../../services/services';
import { errorResponses, IdParam } from '../schemas';
import { type App, principalOf } from '../types';

const PlazaSchema = Type.Object({ id: Type.String(), stationId: Type.String(), name: Type.String() });
const LaneSchema = Type.Object({
  id: Type.String(),
  plazaId: Type.String(),
  hex: Type.String(),
  name: Type.String(),
  handheldEnabled: Type.Boolean(),
  updatedAt: Type.String(),
});
const TerminalSchema = Type.Object({
  id: Type.String(),
  psamTerminalNo: Type.String(),
  description: Type.String(),
  enabled: Type.Boolean(),
});
const StationSchema = Type.Object(
  {
    stationId: Type.String({ minLength: 14, maxLength: 14 }),
    stationHex: Type.String({ pattern: '^[0-9A-F]{8}$' }),
    name: Type.String({ minLength: 1, maxLength: 64 }),
  },
  { additionalProperties: false },
);
const VersionsSchema = Type.Object({
  tariff: Type.Object({ version: Type.String(), loadedAt: Type.String() }),
  lists: Type.Record(Type.String(), Type.String()),
  listsLoadedAt: Type.String(),
});

const lane = (r: LaneRow) => ({
  id: r.id,
  plazaId: r.plaza_id,
  hex: r.hex,
  name: r.name,
  handheldEnabled: r.handheld_enabled === 1,
  updatedAt: r.updated_at,
});
const terminal = (t: TerminalRow) => ({
  id: t.id,
  psamTerminalNo: t.psam_terminal_no,
  description: t.description,
  enabled: t.enabled === 1,
});

export function configRoutes(app: App, s: Services): void {
  app.get(
    '/config/station',
    {
      config: { stationAccess: ['collector', 'monitor', 'admin'] },
      schema: {
        tags: ['config'],
        summary: 'This station: ID, HEX, name',
        response: { 200: Type.Union([StationSchema, Type.Null()]), ...errorResponses },
      },
    },
    async () => (await s.config.station()) ?? null,
  );

  app.put(
    '/config/station',
    {
      config: { stationAccess: ['admin'] },
      schema: {
        tags: ['config'],
        summary: 'Set this station',
        body: StationSchema,
        response: { 200: StationSchema, ...errorResponses },
      },
    },
    async (req) => s.config.putStation(req.body, principalOf(req).accountId),
  );

  app.get(
    '/config/plazas',
    {
      config: { stationAccess: ['collector', 'monitor', 'admin'] },
      schema: {
        tags: ['config'],
        summary: 'Plazas',
        response: { 200: Type.Array(PlazaSchema), ...errorResponses },
      },
    },
    async () =>
      (await s.config.listPlazas()).map((p) => ({ id: p.id, stationId: p.station_id, name: p.name })),
  );

  app.put(
    '/config/plazas/:id',
    {
      config: { stationAccess: ['admin'] },
      schema: {
        tags: ['config'],
        summary: 'Create or rename a plaza (18-char ID)',
        params: IdParam,
        body: Type.Object(
          { name: Type.String({ minLength: 1, maxLength: 64 }) },
          { additionalProperties: false },
        ),
        response: { 200: PlazaSchema, ...errorResponses },
      },
    },
    async (req) => {
      const p = await s.config.putPlaza(
        { id: req.params.id, name: req.body.name },
        principalOf(req).accountId,
      );
      return { id: p.id, stationId: p.station_id, name: p.name };
    },
  );

  app.get(
    '/config/lanes',
    {
      config: { stationAccess: ['collector', 'monitor', 'admin'] },
      schema: {
        tags: ['config'],
        summary: 'Lanes; collectors choose among the enabled ones',
        querystring: Type.Object({ enabled: Type.Optional(Type.Boolean()) }),
        response: { 200: Type.Array(LaneSchema), ...errorResponses },
      },
    },
    async (req) => {
      const rows = (await s.config.listLanes()).map(lane);
      return req.query.enabled === undefined
        ? rows
        : rows.filter((l) => l.handheldEnabled === req.query.enabled);
    },
  );

  app.put(
    '/config/lanes/:id',
    {
      config: { stationAccess: ['admin'] },
      schema: {
        tags: ['config'],
        summary: 'Create or update a lane (21-char ID); new lanes start disabled',
        params: IdParam,
        body: Type.Object(
          {
            hex: Type.String({ pattern: '^[0-9A-F]{10}$' }),
            name: Type.String({ minLength: 1, maxLength: 64 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: LaneSchema, ...errorResponses },
      },
    },
    async (req) =>
      lane(await s.config.putLane({ id: req.params.id, ...req.body }, principalOf(req).accountId)),
  );

  app.put(
    '/config/lanes/:id/handheld',
    {
      config: { stationAccess: ['admin'] },
      schema: {
        tags: ['config'],
        summary: '启用/停用出口车道 — enable or disable a lane for handheld linkage',
        params: IdParam,
        body: Type.Object({ enabled: Type.Boolean() }, { additionalProperties: false }),
        response: { 200: LaneSchema, ...errorResponses },
      },
    },
    async (req) =>
      lane(await s.config.setLaneEnabled(req.params.id, req.body.enabled, principalOf(req).accountId)),
  );

  app.get(
    '/config/terminals',
    {
      config: { stationAccess: ['monitor', 'admin'] },
      schema: {
        tags: ['config'],
        summary: 'Handheld terminals',
        response: { 200: Type.Array(TerminalSchema), ...errorResponses },
      },
    },
    async () => (await s.config.listTerminals()).map(terminal),
  );

  app.put(
    '/config/terminals/:id',
    {
      config: { stationAccess: ['admin'] },
      schema: {
        tags: ['config'],
        summary: 'Register a handheld and its PSAM terminal number',
        params: IdParam,
        body: Type.Object(
          {
            psamTerminalNo: Type.String({ pattern: '^[0-9A-Fa-f]{12}$' }),
            description: Type.String({ maxLength: 128, default: '' }),
            enabled: Type.Boolean({ default: true }),
          },
          { additionalProperties: false },
        ),
        response: { 200: TerminalSchema, ...errorResponses },
      },
    },
    async (req) =>
      terminal(await s.config.putTerminal({ id: req.params.id, ...req.body }, principalOf(req).accountId)),
  );

  app.get(
    '/config/versions',
    {
      config: { stationAccess: ['collector', 'monitor', 'admin'] },
      schema: {
        tags: ['config'],
        summary: 'Tariff and status-list versions in force',
        response: { 200: VersionsSchema, ...errorResponses },
      },
    },
    async () => s.reference.versions(),
  );

  app.post(
    '/config/reference/reload',
    {
      config: { stationAccess: ['admin'] },
      schema: {
        tags: ['config'],
        summary: 'Reload tariff and lists from their files; swapped atomically',
        response: { 200: VersionsSchema, ...errorResponses },
      },
    },
    async (req) => {
      await s.reference.reload(principalOf(req).accountId);
      return s.reference.versions();
    },
  );
}
