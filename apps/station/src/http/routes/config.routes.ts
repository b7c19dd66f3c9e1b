import {
  LaneBody,
  LaneEnabledBody,
  LaneEnabledResult,
  LaneSchema,
  PlazaBody,
  PlazaSchema,
  PsamBindBody,
  StationSchema,
  TerminalBody,
  TerminalPsamStateSchema,
  TerminalSchema,
  VersionsSchema,
} from '@tollpad/station-api';
import { Type } from 'typebox';
import type { LaneRow } from '../../db/schema';
import { type LaneView, NO_PSAM, type TerminalRow } from '../../repositories/config.repository';
import type { Services } from '../../services/services';
import { errorResponses, IdParam } from '../schemas';
import { type App, principalOf } from '../types';

const lane = (r: LaneRow, changedBy: { id: string; name: string } | null) => ({
  id: r.id,
  plazaId: r.plaza_id,
  hex: r.hex,
  name: r.name,
  handheldEnabled: r.handheld_enabled === 1,
  updatedAt: r.updated_at,
  changedBy,
});
const laneView = (r: LaneView) =>
  lane(r, r.enabled_by ? { id: r.enabled_by, name: r.enabled_by_name ?? r.enabled_by } : null);
const terminal = (t: TerminalRow) => ({
  id: t.id,
  psamTerminalNo: t.psam_terminal_no === NO_PSAM ? null : t.psam_terminal_no,
  description: t.description,
  enabled: t.enabled === 1,
  updatedAt: t.updated_at,
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
        body: PlazaBody,
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
      const rows = (await s.config.listLaneViews()).map(laneView);
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
        body: LaneBody,
        response: { 200: LaneSchema, ...errorResponses },
      },
    },
    async (req) => {
      const row = await s.config.putLane({ id: req.params.id, ...req.body }, principalOf(req).accountId);
      const views = await s.config.listLaneViews();
      return laneView(views.find((v) => v.id === row.id) ?? { ...row, enabled_by_name: null });
    },
  );

  app.put(
    '/config/lanes/:id/handheld',
    {
      config: { stationAccess: ['admin'] },
      schema: {
        tags: ['config'],
        summary:
          '启用/停用出口车道 — enable or disable a lane for handheld linkage; never the last enabled one. ' +
          'Transactions open on a disabled lane finish there; none starts.',
        params: IdParam,
        body: LaneEnabledBody,
        response: { 200: LaneEnabledResult, ...errorResponses },
      },
    },
    async (req) => {
      const p = principalOf(req);
      const r = await s.config.setLaneEnabled(req.params.id, req.body.enabled, p.accountId);
      return { ...lane(r.lane, { id: p.accountId, name: p.displayName }), openTxns: r.openTxns };
    },
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

  app.get(
    '/config/terminals/psam-states',
    {
      config: { stationAccess: ['monitor', 'admin'] },
      schema: {
        tags: ['config'],
        summary:
          'PSAM授权状态 — each bound PSAM’s authorisation at the centre, asked now; a centre that does not ' +
          'answer within a few seconds shows as unreachable',
        response: { 200: Type.Array(TerminalPsamStateSchema), ...errorResponses },
      },
    },
    async () => s.psamStates.states(),
  );

  app.put(
    '/config/terminals/:id',
    {
      config: { stationAccess: ['admin'] },
      schema: {
        tags: ['config'],
        summary: 'Register a handheld and its PSAM terminal number (a PSAM is bound to one handheld)',
        params: IdParam,
        body: TerminalBody,
        response: { 200: TerminalSchema, ...errorResponses },
      },
    },
    async (req) =>
      terminal(await s.config.putTerminal({ id: req.params.id, ...req.body }, principalOf(req).accountId)),
  );

  app.put(
    '/config/terminals/:id/psam',
    {
      config: { stationAccess: ['admin'] },
      schema: {
        tags: ['config'],
        summary: '绑定PSAM — bind a PSAM to a handheld; refused when another handheld holds it',
        params: IdParam,
        body: PsamBindBody,
        response: { 200: TerminalSchema, ...errorResponses },
      },
    },
    async (req) =>
      terminal(
        await s.config.setTerminalPsam(req.params.id, req.body.psamTerminalNo, principalOf(req).accountId),
      ),
  );

  app.delete(
    '/config/terminals/:id/psam',
    {
      config: { stationAccess: ['admin'] },
      schema: {
        tags: ['config'],
        summary: '解绑PSAM — unbind the PSAM; the handheld cannot collect until one is bound again',
        params: IdParam,
        response: { 200: TerminalSchema, ...errorResponses },
      },
    },
    async (req) => terminal(await s.config.setTerminalPsam(req.params.id, null, principalOf(req).accountId)),
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
