import { ArrearsLookupParams, ArrearsLookupQuery, ArrearsLookupSchema } from '@tollpad/station-api';
import type { Services } from '../../services/services';
import { errorResponses } from '../schemas';
import type { App } from '../types';

export function arrearsRoutes(app: App, s: Services): void {
  app.get(
    '/arrears/:plate',
    {
      config: { stationAccess: ['collector', 'monitor'] },
      schema: {
        tags: ['arrears'],
        summary:
          '追缴查询 — a plate’s open arrears (the centre’s, cached briefly; the chase list’s hit when it is unreachable)',
        params: ArrearsLookupParams,
        querystring: ArrearsLookupQuery,
        response: { 200: ArrearsLookupSchema, ...errorResponses },
      },
    },
    async (req) => s.arrears.lookup(req.params.plate, req.query.colour),
  );
}
