import {
  GreenChannelViewSchema,
  GreenInspectionAnswerSchema,
  GreenInspectionBody,
  IdParam,
} from '@tollpad/station-api';
import type { Services } from '../../services/services';
import { errorResponses } from '../schemas';
import { type App, principalOf } from '../types';
import { exitView } from './exits.routes';

/** 绿通查验 on the collector's own exit (station-api green-channel.ts). */
export function greenInspectionRoutes(app: App, s: Services): void {
  app.get(
    '/exits/:id/green-inspection',
    {
      config: { stationAccess: ['collector', 'monitor'] },
      schema: {
        tags: ['exit'],
        summary: '绿通查验 — the plate’s appointment and ban, the photos asked for, the latest inspection',
        params: IdParam,
        response: { 200: GreenChannelViewSchema, ...errorResponses },
      },
    },
    async (req) => s.greenInspections.view(principalOf(req), req.params.id),
  );

  app.post(
    '/exits/:id/green-inspection',
    {
      config: { stationAccess: ['collector'] },
      schema: {
        tags: ['exit'],
        summary:
          '【绿通查验】 — cargo from the catalogue, photos of the load (uploaded to /images first), pass / fail / ' +
          'mixed; kept, and a priced exit re-priced (pass: free, kind 21; otherwise special 126)',
        params: IdParam,
        body: GreenInspectionBody,
        response: { 201: GreenInspectionAnswerSchema, ...errorResponses },
      },
    },
    async (req, reply) => {
      const r = await s.greenInspections.inspect(principalOf(req), req.params.id, req.body);
      return reply
        .status(201)
        .send({ inspection: r.inspection, transaction: exitView(r.txn, s.describeSpecial) });
    },
  );
}
