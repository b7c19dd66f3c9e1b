import { Type } from 'typebox';
import type { ExitRecordRow } from '../../db/schema';
import type { Services } from '../../services/services';
import { errorResponses } from '../schemas';
import { type App, principalOf } from '../types';

const RecordRow = Type.Object({
  tradeId: Type.String(),
  kind: Type.String(),
  supersedes: Type.Union([Type.String(), Type.Null()]),
  laneId: Type.String(),
  cardId: Type.String(),
  vehicleId: Type.String(),
  exTime: Type.String(),
  specialTypes: Type.Array(Type.Integer()),
  exitFeeType: Type.Integer(),
  fee: Type.Integer(),
  record: Type.Unsafe<Record<string, unknown>>(Type.Object({}, { additionalProperties: true })),
});

const toRow = (r: ExitRecordRow) => ({
  tradeId: r.trade_id,
  kind: r.kind,
  supersedes: r.supersedes,
  laneId: r.lane_id,
  cardId: r.card_no,
  vehicleId: r.vehicle_id,
  exTime: r.ex_time,
  specialTypes: r.special_types.split('|').filter(Boolean).map(Number),
  exitFeeType: r.exit_fee_type,
  fee: r.fee,
  record: JSON.parse(r.record_json) as Record<string, unknown>,
});

export function recordRoutes(app: App, s: Services): void {
  app.get(
    '/records',
    {
      config: { stationAccess: ['monitor', 'admin'] },
      schema: {
        tags: ['records'],
        summary: 'Search exit records by time, lane, card, plate (vehicleId), special code, shift',
        querystring: Type.Object({
          from: Type.Optional(Type.String({ format: 'date-time' })),
          to: Type.Optional(Type.String({ format: 'date-time' })),
          laneId: Type.Optional(Type.String({ maxLength: 21 })),
          cardId: Type.Optional(Type.String({ pattern: '^\\d{20}$' })),
          vehicleId: Type.Optional(Type.String({ maxLength: 20 })),
          special: Type.Optional(Type.Integer({ minimum: 0, maximum: 999 })),
          shiftId: Type.Optional(Type.String({ maxLength: 64 })),
          limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
        }),
        response: { 200: Type.Array(RecordRow), ...errorResponses },
      },
    },
    async (req) => {
      const q = req.query;
      const rows = await s.records.search({
        limit: q.limit,
        ...(q.from ? { from: new Date(q.from).toISOString() } : {}),
        ...(q.to ? { to: new Date(q.to).toISOString() } : {}),
        ...(q.laneId ? { laneId: q.laneId } : {}),
        ...(q.cardId ? { cardNo: q.cardId } : {}),
        ...(q.vehicleId ? { vehicleId: q.vehicleId } : {}),
        ...(q.special !== undefined ? { special: q.special } : {}),
        ...(q.shiftId ? { shiftId: q.shiftId } : {}),
      });
      return rows.map(toRow);
    },
  );

  app.get(
    '/records/:tradeId',
    {
      config: { stationAccess: ['collector', 'monitor', 'admin'] },
      schema: {
        tags: ['records'],
        summary: 'One exit record',
        params: Type.Object({ tradeId: Type.String({ minLength: 1, maxLength: 64 }) }),
        response: { 200: RecordRow, ...errorResponses },
      },
    },
    async (req) => toRow(await s.records.read(principalOf(req), req.params.tradeId)),
  );

  app.post(
    '/records/:tradeId/corrections',
    {
      config: { stationAccess: ['monitor'] },
      schema: {
        tags: ['records'],
        summary: 'Correct a record: a new linked record (the original never changes)',
        params: Type.Object({ tradeId: Type.String({ minLength: 1, maxLength: 64 }) }),
        body: Type.Object(
          {
            vehicleClass: Type.Optional(Type.Integer({ minimum: 1, maximum: 26 })),
            vehicleKind: Type.Optional(Type.Integer({ minimum: 0, maximum: 28 })),
            plate: Type.Optional(Type.String({ minLength: 1, maxLength: 16 })),
            plateColour: Type.Optional(Type.Integer({ minimum: 0, maximum: 99 })),
            reason: Type.String({ minLength: 1, maxLength: 200 }),
          },
          { additionalProperties: false },
        ),
        response: { 201: RecordRow, ...errorResponses },
      },
    },
    async (req, reply) =>
      reply.status(201).send(toRow(await s.records.correct(principalOf(req), req.params.tradeId, req.body))),
  );
}
