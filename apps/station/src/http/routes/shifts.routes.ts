import {
  type Shift,
  ShiftListQuery,
  ShiftListSchema,
  ShiftReportSchema,
  ShiftSchema,
} from '@tollpad/station-api';
import { Type } from 'typebox';
import type { ShiftRow } from '../../db/schema';
import type { Services } from '../../services/services';
import { renderShiftReportHtml } from '../../services/shift.service';
import { errorResponses, IdParam } from '../schemas';
import { type App, principalOf } from '../types';

const shift = (r: ShiftRow): Shift => ({
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
        querystring: ShiftListQuery,
        response: { 200: ShiftListSchema, ...errorResponses },
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
        response: { 200: ShiftReportSchema, ...errorResponses },
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
