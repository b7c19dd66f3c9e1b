import {
  ArrearsEntrySchema,
  ArrearsPaybackRecordSchema,
  formatVehicleId,
  type PlateColour,
  validatePlate,
} from '@tollpad/domain';
import { Type } from 'typebox';
import { CentreError } from '../../errors';
import type { Services } from '../../services/services';
import { errorResponses } from '../schemas';
import type { App } from '../types';

const PaybackAckSchema = Type.Object({
  tradeId: Type.String(),
  digest: Type.String(),
  cleared: Type.Array(Type.String()),
  receivedAt: Type.String(),
});

const NewEntrySchema = Type.Omit(ArrearsEntrySchema, ['status']);

export function arrearsRoutes(app: App, s: Services): void {
  app.get(
    '/arrears/:plate',
    {
      config: { access: 'station' },
      schema: {
        tags: ['arrears'],
        summary: '追缴查询 — the open arrears entries of a plate, with the amounts owed and why',
        params: Type.Object({ plate: Type.String({ minLength: 2, maxLength: 16 }) }),
        querystring: Type.Object({ colour: Type.Integer({ minimum: 0, maximum: 99 }) }),
        response: {
          200: Type.Object({
            vehicleId: Type.String(),
            entries: Type.Array(ArrearsEntrySchema),
            total: Type.Integer(),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const v = validatePlate(req.params.plate, req.query.colour);
      if (!v.ok) throw new CentreError('CTR_ERR_ARREARS_INVALID', `${v.error.field}: ${v.error.reason}`);
      const vehicleId = formatVehicleId(v.value.plate, v.value.colour as PlateColour);
      const entries = await s.arrears.openOf(vehicleId);
      return { vehicleId, entries, total: entries.reduce((t, e) => t + e.oweFee, 0) };
    },
  );

  app.post(
    '/arrears-paybacks',
    {
      config: { access: 'station' },
      // Validated in the service so that refused input can be kept.
      validatorCompiler: () => () => true,
      schema: {
        tags: ['arrears'],
        summary: '补缴流水 — a payback record clears the entries it names, once (idempotent on the trade ID)',
        headers: Type.Object({ 'idempotency-key': Type.String({ description: 'must equal the record id' }) }),
        body: ArrearsPaybackRecordSchema,
        response: { 200: PaybackAckSchema, 201: PaybackAckSchema, ...errorResponses },
      },
    },
    async (req, reply) => {
      const peer = req.peer;
      if (peer?.role !== 'station') throw new CentreError('CTR_ERR_ARREARS_WRONG_STATION', 'not a station');
      const key = req.headers['idempotency-key'];
      const out = await s.arrears.payback(req.body, typeof key === 'string' ? key : undefined, {
        stationId: peer.stationId,
      });
      if (!out.created) reply.header('idempotent-replayed', 'true');
      return reply.status(out.created ? 201 : 200).send(out.ack);
    },
  );

  app.post(
    '/arrears',
    {
      config: { access: 'publisher' },
      schema: {
        tags: ['arrears'],
        summary: '追缴名单录入 — entries added to the book (open); their vehicles enter the chase list',
        body: Type.Object({ entries: Type.Array(NewEntrySchema, { minItems: 1, maxItems: 1000 }) }),
        response: { 200: Type.Object({ added: Type.Integer() }), ...errorResponses },
      },
    },
    async (req) => s.arrears.add(req.body.entries),
  );
}
