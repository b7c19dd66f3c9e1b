import { GreenInspectionUploadSchema } from '@tollpad/domain';
import { Type } from 'typebox';
import { CentreError } from '../../errors';
import type { Services } from '../../services/services';
import { errorResponses } from '../schemas';
import type { App } from '../types';

const AckSchema = Type.Object({
  key: Type.String(),
  id: Type.String(),
  tradeId: Type.String(),
  digest: Type.String(),
  recordHeld: Type.Boolean(),
  receivedAt: Type.String(),
});

const Day = Type.String({ pattern: '^\\d{8}$', description: 'Beijing exit day YYYYMMDD' });

export function greenInspectionRoutes(app: App, s: Services): void {
  app.post(
    '/green-inspections',
    {
      config: { access: 'station' },
      // Validated in the service so that refused input can be kept.
      validatorCompiler: () => () => true,
      schema: {
        tags: ['green-channel'],
        summary: '绿通查验 — the inspection of an exit record, uploaded beside it (idempotent per record)',
        headers: Type.Object({
          'idempotency-key': Type.String({ description: 'the record’s trade ID + -G' }),
        }),
        body: GreenInspectionUploadSchema,
        response: { 200: AckSchema, 201: AckSchema, ...errorResponses },
      },
    },
    async (req, reply) => {
      const peer = req.peer;
      if (peer?.role !== 'station') throw new CentreError('CTR_ERR_GREEN_WRONG_STATION', 'not a station');
      const key = req.headers['idempotency-key'];
      const out = await s.greenInspections.ingest(req.body, typeof key === 'string' ? key : undefined, {
        stationId: peer.stationId,
      });
      if (!out.created) reply.header('idempotent-replayed', 'true');
      return reply.status(out.created ? 201 : 200).send(out.ack);
    },
  );

  app.get(
    '/records/:tradeId/green-inspection',
    {
      config: { access: 'station' },
      schema: {
        tags: ['green-channel'],
        summary: 'The 绿通查验 linked to a record, or 404',
        params: Type.Object({ tradeId: Type.String({ pattern: '^.{21}\\d{16}$' }) }),
        response: { 200: GreenInspectionUploadSchema, ...errorResponses },
      },
    },
    async (req) => {
      const r = await s.greenInspections.ofRecord(req.params.tradeId);
      if (!r) throw new CentreError('CTR_ERR_RECORD_NOT_FOUND', `no inspection for ${req.params.tradeId}`);
      return r;
    },
  );

  app.get(
    '/green-channel/uninspected',
    {
      config: { access: 'station' },
      schema: {
        tags: ['green-channel'],
        summary:
          'Green-channel passes (kind 21, fee 0) with no passed inspection held, for exit days [from, to]: ' +
          'empty when every pass has its inspection (the plaza day reconciles with it)',
        querystring: Type.Object({
          from: Day,
          to: Day,
          limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
        }),
        response: {
          200: Type.Object({
            uninspected: Type.Array(
              Type.Object({
                tradeId: Type.String(),
                exStationId: Type.String(),
                exTime: Type.String(),
                vehicleId: Type.String(),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => ({
      uninspected: await s.greenInspections.uninspectedPasses(req.query.from, req.query.to, req.query.limit),
    }),
  );
}
