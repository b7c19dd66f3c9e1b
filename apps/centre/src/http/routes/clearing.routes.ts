import { ExitRecordSchema } from '@tollpad/domain';
import { Type } from 'typebox';
import { CentreError } from '../../errors';
import type { Services } from '../../services/services';
import { DaySchema, errorResponses } from '../schemas';
import type { App } from '../types';

const Totals = {
  records: Type.Integer(),
  transFee: Type.Integer({ description: 'Σ amount debited, fen' }),
  fee: Type.Integer(),
  payFee: Type.Integer(),
  verified: Type.Integer({ description: 'records whose TAC the centre verified' }),
  quarantined: Type.Integer({
    description: 'records of issuers whose keys the centre does not hold: kept apart, not cleared',
  }),
};

export function clearingRoutes(app: App, s: Services): void {
  app.get(
    '/clearing',
    {
      config: { access: 'station' },
      schema: {
        tags: ['clearing'],
        summary:
          '清分视图 — accepted records and totals per issuer (card network) and day; other payments (CPC·现金) apart',
        querystring: Type.Object({
          from: DaySchema,
          to: Type.Optional(DaySchema),
          issuer: Type.Optional(Type.String({ pattern: '^\\d{4}$' })),
        }),
        response: {
          200: Type.Object({
            from: Type.String(),
            to: Type.String(),
            rows: Type.Array(
              Type.Object({
                day: Type.String(),
                issuer: Type.String({ description: 'card network; empty for a payment with no card trade' }),
                group: Type.String({
                  description:
                    "the issuer for ETC card trades, else medium·payment, e.g. 'CPC·现金' (no TAC)",
                }),
                ...Totals,
              }),
            ),
            totals: Type.Object(Totals),
            rejected: Type.Integer({ description: 'refused records kept in rejected_records (all days)' }),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const { from, to = from, issuer } = req.query;
      if (to < from) throw new CentreError('CTR_ERR_REQ_INVALID', 'to < from');
      return s.clearing.summary(from, to, issuer);
    },
  );

  app.get(
    '/clearing/:day/records',
    {
      config: { access: 'station' },
      schema: {
        tags: ['clearing'],
        summary: 'The accepted records of one day, by trade ID, keyset-paged with `after`',
        params: Type.Object({ day: DaySchema }),
        querystring: Type.Object({
          issuer: Type.Optional(Type.String({ pattern: '^\\d{4}$' })),
          after: Type.Optional(Type.String({ maxLength: 37 })),
          limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
        }),
        response: {
          200: Type.Object({
            records: Type.Array(
              Type.Object({
                tradeId: Type.String(),
                digest: Type.String(),
                tacStatus: Type.String(),
                record: Type.Unsafe(ExitRecordSchema),
              }),
            ),
            next: Type.Union([Type.String(), Type.Null()]),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const q = req.query;
      return s.clearing.records(req.params.day, {
        limit: q.limit,
        ...(q.issuer !== undefined ? { issuer: q.issuer } : {}),
        ...(q.after !== undefined ? { after: q.after } : {}),
      });
    },
  );
}
