import type { ExitRecord } from '@tollpad/domain';
import {
  CorrectionBody,
  RecordListSchema,
  RecordQuery,
  RecordSchema,
  type StoredRecord,
  TradeIdParam,
} from '@tollpad/station-api';
import type { ExitRecordRow } from '../../db/schema';
import type { Services } from '../../services/services';
import { errorResponses } from '../schemas';
import { type App, principalOf } from '../types';

export const toRow = (r: ExitRecordRow): StoredRecord => ({
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
  record: JSON.parse(r.record_json) as ExitRecord,
});

export function recordRoutes(app: App, s: Services): void {
  app.get(
    '/records',
    {
      config: { stationAccess: ['monitor', 'admin'] },
      schema: {
        tags: ['records'],
        summary: 'Search exit records by time, lane, card, plate (vehicleId), special code, shift',
        querystring: RecordQuery,
        response: { 200: RecordListSchema, ...errorResponses },
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
        params: TradeIdParam,
        response: { 200: RecordSchema, ...errorResponses },
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
        params: TradeIdParam,
        body: CorrectionBody,
        response: { 201: RecordSchema, ...errorResponses },
      },
    },
    async (req, reply) =>
      reply.status(201).send(toRow(await s.records.correct(principalOf(req), req.params.tradeId, req.body))),
  );
}
