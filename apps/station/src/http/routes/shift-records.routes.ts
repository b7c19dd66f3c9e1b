import { RecordListSchema, ShiftRecordsQuery } from '@tollpad/station-api';
import type { Services } from '../../services/services';
import { errorResponses, IdParam } from '../schemas';
import { type App, principalOf } from '../types';
import { toRow } from './records.routes';

export function shiftRecordRoutes(app: App, s: Services): void {
  app.get(
    '/shifts/:id/records',
    {
      config: { stationAccess: ['collector', 'monitor', 'admin'] },
      schema: {
        tags: ['shifts'],
        summary:
          "A shift's records, newest first (a collector's own shift): receipts are reprinted from them",
        params: IdParam,
        querystring: ShiftRecordsQuery,
        response: { 200: RecordListSchema, ...errorResponses },
      },
    },
    async (req) => {
      await s.handover.owned(req.params.id, principalOf(req));
      return (await s.records.search({ shiftId: req.params.id, limit: req.query.limit })).map(toRow);
    },
  );
}
