import { ExitRecordSchema } from '@tollpad/domain';
import { Type } from 'typebox';
import { CentreError } from '../../errors';
import type { Services } from '../../services/services';
import { errorResponses } from '../schemas';
import type { App } from '../types';

export const AckSchema = Type.Object(
  {
    tradeId: Type.String(),
    exitDay: Type.String({ description: 'Beijing day of the trade-ID batch, YYYYMMDD' }),
    digest: Type.String({ description: 'sha256 hex of the canonical JSON of the record' }),
    tacStatus: Type.Union([Type.Literal('verified'), Type.Literal('quarantined')], {
      description: 'quarantined (answered 202): issuer keys not held here; kept and listed, not cleared',
    }),
    receivedAt: Type.String(),
  },
  { description: 'Acknowledgement; byte-identical on every replay of the same record' },
);

const RejectedSchema = Type.Object({
  id: Type.Integer(),
  kind: Type.String(),
  code: Type.String(),
  ref: Type.Union([Type.String(), Type.Null()]),
  digest: Type.String(),
  detail: Type.String(),
  body: Type.String(),
  attempts: Type.Integer(),
  firstAt: Type.String(),
  lastAt: Type.String(),
});

export function recordRoutes(app: App, s: Services): void {
  app.post(
    '/records',
    {
      config: { access: 'station' },
      // The body is validated in the service (checkExitRecord) so that refused input can be kept.
      validatorCompiler: () => () => true,
      schema: {
        tags: ['records'],
        summary: '上传出口交易流水 — ingest one exit record (idempotent on the trade ID)',
        headers: Type.Object({
          'idempotency-key': Type.String({ description: 'must equal the record id (exit trade ID)' }),
        }),
        body: ExitRecordSchema,
        response: { 200: AckSchema, 201: AckSchema, 202: AckSchema, ...errorResponses },
      },
    },
    async (req, reply) => {
      const key = req.headers['idempotency-key'];
      const peer = req.peer;
      if (peer?.role !== 'station') throw new CentreError('CTR_ERR_RECORD_WRONG_STATION', 'not a station');
      const out = await s.records.ingest(req.body, typeof key === 'string' ? key : undefined, {
        stationId: peer.stationId,
      });
      if (!out.created) reply.header('idempotent-replayed', 'true');
      if (out.ack.tacStatus === 'quarantined') return reply.status(202).send(out.ack);
      return reply.status(out.created ? 201 : 200).send(out.ack);
    },
  );

  app.get(
    '/records/quarantined',
    {
      config: { access: 'station' },
      schema: {
        tags: ['records'],
        summary: 'Records kept in quarantine: card issuers whose keys the centre lacks (not cleared)',
        querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }) }),
        response: {
          200: Type.Object({
            quarantined: Type.Array(Type.Object({ ack: AckSchema, record: Type.Unsafe(ExitRecordSchema) })),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => ({
      quarantined: (await s.records.quarantined(req.query.limit)).map(({ record, ...ack }) => ({
        ack,
        record,
      })),
    }),
  );

  app.get(
    '/records/:tradeId',
    {
      config: { access: 'station' },
      schema: {
        tags: ['records'],
        summary: 'One accepted record with its acknowledgement',
        params: Type.Object({ tradeId: Type.String({ minLength: 37, maxLength: 37 }) }),
        response: {
          200: Type.Object({ ack: AckSchema, record: Type.Unsafe(ExitRecordSchema) }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const found = await s.records.find(req.params.tradeId);
      if (!found) throw new CentreError('CTR_ERR_RECORD_NOT_FOUND', req.params.tradeId);
      const { record, ...ack } = found;
      return { ack, record };
    },
  );

  app.get(
    '/rejected',
    {
      config: { access: 'station' },
      schema: {
        tags: ['records'],
        summary: 'Refused input kept for inspection (records, gantry passages, lists, tariffs)',
        querystring: Type.Object({
          kind: Type.Optional(
            Type.Union(['record', 'gantry', 'list', 'tariff', 'arrears'].map((k) => Type.Literal(k))),
          ),
          ref: Type.Optional(Type.String({ maxLength: 64 })),
          limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
        }),
        response: { 200: Type.Object({ rejected: Type.Array(RejectedSchema) }), ...errorResponses },
      },
    },
    async (req) => {
      const q = req.query;
      return {
        rejected: await s.rejections.list({
          limit: q.limit,
          ...(q.kind !== undefined ? { kind: q.kind } : {}),
          ...(q.ref !== undefined ? { ref: q.ref } : {}),
        }),
      };
    },
  );
}
