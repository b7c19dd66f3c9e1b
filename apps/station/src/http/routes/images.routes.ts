import { IMAGE_TYPES, ShaParam, type StoredImage, StoredImageSchema } from '@tollpad/station-api';
import { Type } from 'typebox';
import type { ImageRow } from '../../repositories/images.repository';
import type { Services } from '../../services/services';
import type { AppOptions } from '../app';
import { errorResponses } from '../schemas';
import type { App } from '../types';

const toImage = (r: ImageRow): StoredImage => ({
  sha256: r.sha256,
  mime: r.mime,
  size: r.size,
  width: r.width,
  height: r.height,
  thumbSha256: r.thumb_sha256,
});

export function imageRoutes(app: App, s: Services, opts: AppOptions): void {
  // Photos arrive as the raw body; the type is sniffed from the bytes, not trusted from the header.
  app.addContentTypeParser(
    [...IMAGE_TYPES, 'application/octet-stream'],
    { parseAs: 'buffer', bodyLimit: opts.imageMaxBytes * 2 },
    (_req, body, done) => done(null, body),
  );

  app.post(
    '/images',
    {
      config: { stationAccess: ['collector'] },
      bodyLimit: opts.imageMaxBytes * 2,
      schema: {
        tags: ['images'],
        summary: 'Upload a vehicle photo (JPEG/PNG/WebP raw body); stored by sha256 with a thumbnail',
        consumes: [...IMAGE_TYPES, 'application/octet-stream'],
        headers: Type.Object({ 'content-type': Type.String() }),
        response: { 201: StoredImageSchema, ...errorResponses },
      },
    },
    async (req, reply) => {
      const body = req.body;
      if (!Buffer.isBuffer(body)) {
        const { StationError } = await import('../../errors');
        throw new StationError('STN_ERR_IMAGE_TYPE');
      }
      return reply.status(201).send(toImage(await s.images.store(body)));
    },
  );

  for (const which of ['original', 'thumb'] as const) {
    app.get(
      which === 'original' ? '/images/:sha256' : '/images/:sha256/thumb',
      {
        config: { stationAccess: ['collector', 'monitor', 'admin'] },
        schema: {
          tags: ['images'],
          summary: which === 'original' ? 'A stored photo' : 'Its thumbnail',
          params: ShaParam,
          produces: [...IMAGE_TYPES],
          response: { 200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }), ...errorResponses },
        },
      },
      async (req, reply) => {
        const r = await s.images.bytes(req.params.sha256, which);
        reply.type(r.mime).header('cache-control', 'private, max-age=31536000, immutable');
        return r.bytes;
      },
    );
  }
}
