import { ExitPathSchema, IdParam, PathPhotoParams } from '@tollpad/station-api';
import { Type } from 'typebox';
import type { Services } from '../../services/services';
import { errorResponses } from '../schemas';
import { type App, principalOf } from '../types';

export function pathRoutes(app: App, s: Services): void {
  app.get(
    '/exits/:id/path',
    {
      // The collector's own transaction (exit-ownership.ts); the monitor of the station may look too.
      config: { stationAccess: ['collector', 'monitor'] },
      schema: {
        tags: ['exit'],
        summary:
          '【通行路径】 — entry, gantries (time, fee, observed or fitted), exit, with photo refs and map positions; the station’s own when the centre does not answer',
        params: IdParam,
        response: { 200: ExitPathSchema, ...errorResponses },
      },
    },
    async (req) => s.path.ofExit(principalOf(req), req.params.id),
  );

  app.get(
    '/exits/:id/path/photos/:ref',
    {
      config: { stationAccess: ['collector', 'monitor'] },
      schema: {
        tags: ['exit'],
        summary:
          'A photo of the exit’s path (JPEG from the centre, or the station’s own); only refs on that path',
        params: PathPhotoParams,
        produces: ['image/jpeg', 'image/png', 'image/webp'],
        response: { 200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }), ...errorResponses },
      },
    },
    async (req, reply) => {
      const r = await s.path.photo(principalOf(req), req.params.id, req.params.ref);
      // Content-addressed (a SHA-256 names the bytes); private: the exit's evidence, not public.
      reply.type(r.mime).header('cache-control', 'private, max-age=86400, immutable');
      return r.bytes;
    },
  );
}
