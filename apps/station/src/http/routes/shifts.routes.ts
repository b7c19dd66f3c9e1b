import { Type } from 'typebox';
import type { ShiftRow } from '../../db/schema';
import type { Services } from '../../services/services';
import { renderShiftReportHtml } from '../../services/shift.service';
import { errorResponses, IdParam } from '../schemas';
import { type App, principalOf } from '../types';

const ShiftSchema = Type.Object({
  id: Type.String(),
  accountId: Type.String(),
  terminalId: Type.Union([Type.String(), Type.Null()]),
  openedAt: Type.String(),
  closedAt: Type.Union([Type.String(), Type.Null()]),
});
const Group = Type.Object({
  code: Type.Integer(),
  name: Type.String(),
  vehicles: Type.Integer(),
  amount: Type.Integer(),
});
const ReportSchema = Type.Object({
  shift: ShiftSchema,
  totals: Type.Object({
    vehicles: Type.Integer(),
    amount: Type.Integer(),
    authorised: Type.Integer(),
    cancelled: Type.Integer(),
  }),
  byKind: Type.Array(Group),
  byExitFeeType: Type.Array(Group),
  bySpecial: Type.Array(Group),
  cancelled: Type.Array(
    Type.Object({
      txnId: Type.String(),
      cardNo: Type.String(),
      reason: Type.Union([Type.String(), Type.Null()]),
      at: Type.String(),
    }),
  ),
  authorisations: Type.Array(
    Type.Object({
      txnId: Type.String(),
      status: Type.String(),
      by: Type.Union([Type.String(), Type.Null()]),
      reason: Type.Union([Type.String(), Type.Null()]),
      state: Type.String(),
    }),
  ),
});

const shift = (r: ShiftRow) => ({
  id: r.id,
  accountId: r.account_id,
  terminalId: r.terminal_id,
  openedAt: r.opened_at,
  closedAt: r.closed_at,
});

export function shiftRoutes(app: App, s: Services): void {
  app.post(
    '/shifts',
    {
      config: { stationAccess: ['collector', 'monitor'] },
      schema: {
        tags: ['shifts'],
        summary: '开班 — open a shift',
        response: { 201: ShiftSchema, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(shift(await s.shifts.open(principalOf(req)))),
  );

  app.get(
    '/shifts/current',
    {
      config: { stationAccess: ['collector', 'monitor'] },
      schema: {
        tags: ['shifts'],
        summary: 'My open shift',
        response: { 200: ShiftSchema, ...errorResponses },
      },
    },
    async (req) => shift(await s.shifts.current(principalOf(req))),
  );

  app.get(
    '/shifts',
    {
      config: { stationAccess: ['monitor', 'admin'] },
      schema: {
        tags: ['shifts'],
        summary: 'Recent shifts',
        querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }) }),
        response: { 200: Type.Array(ShiftSchema), ...errorResponses },
      },
    },
    async (req) => (await s.shifts.list(req.query.limit)).map(shift),
  );

  app.post(
    '/shifts/:id/close',
    {
      config: { stationAccess: ['collector', 'monitor', 'admin'] },
      schema: {
        tags: ['shifts'],
        summary: '结班 — close a shift',
        params: IdParam,
        response: { 200: ShiftSchema, ...errorResponses },
      },
    },
    async (req) => shift(await s.shifts.close(req.params.id, principalOf(req))),
  );

  app.get(
    '/shifts/:id/report',
    {
      config: { stationAccess: ['collector', 'monitor', 'admin'] },
      schema: {
        tags: ['shifts'],
        summary:
          'Shift report: vehicles and amounts by kind, fee type and special; cancellations, authorisations',
        params: IdParam,
        response: { 200: ReportSchema, ...errorResponses },
      },
    },
    async (req) => s.shifts.report(req.params.id, principalOf(req)),
  );

  app.get(
    '/shifts/:id/report.html',
    {
      config: { stationAccess: ['collector', 'monitor', 'admin'] },
      schema: {
        tags: ['shifts'],
        summary: 'Printable shift report',
        params: IdParam,
        produces: ['text/html'],
        response: { 200: Type.String(), ...errorResponses },
      },
    },
    async (req, reply) => {
      const report = await s.shifts.report(req.params.id, principalOf(req));
      reply.type('text/html; charset=utf-8');
      return renderShiftReportHtml(report);
    },
  );
}
