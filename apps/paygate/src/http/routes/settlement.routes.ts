import { Type } from 'typebox';
import type { Platform } from '../../services/context';
import { settlementFile } from '../../services/settlement';
import { signedMerchant } from '../merchant-auth';
import { errorResponses } from '../schemas';
import type { App } from '../types';

export function settlementRoutes(app: App, p: Platform): void {
  app.get(
    '/v1/settlements/:day',
    {
      config: { paygateAccess: 'merchant', op: 'settlement' },
      schema: {
        tags: ['settlement'],
        summary: 'The daily settlement file (CSV) of the signing merchant for one Beijing day',
        description:
          'One line per payment, reverse and refund with both order numbers, then totals per channel and ALL; ' +
          'amounts in fen. Published at PAYGATE_SETTLEMENT_HOUR (default 09:00) Beijing the next day.',
        security: [{ merchantSignature: [] }],
        params: Type.Object({
          day: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' }),
        }),
        response: { 200: Type.String({ description: 'text/csv' }), ...errorResponses },
      },
    },
    async (req, reply) => {
      reply.type('text/csv; charset=utf-8');
      return settlementFile(p, signedMerchant(req).id, req.params.day);
    },
  );
}
