import { Type } from 'typebox';
import { CentreError } from '../../errors';
import { MAX_PHOTO_BYTES } from '../../services/evidence.service';
import type { Services } from '../../services/services';
import type { Peer } from '../peer';
import { errorResponses, IsoSchema } from '../schemas';
import type { App } from '../types';

/**
 * A base64 JPEG. The schema lets through twice the photo bound so an oversize photo is answered with its own
 * code (CTR_ERR_PHOTO_TOO_LARGE) after decoding; anything larger is refused before it is read.
 */
const PhotoSchema = Type.String({
  minLength: 4,
  maxLength: Math.ceil((2 * MAX_PHOTO_BYTES) / 3) * 4,
  pattern: '^[A-Za-z0-9+/]+={0,2}$',
  description: `JPEG, base64, at most ${MAX_PHOTO_BYTES} bytes decoded [P]`,
});

export const PhotoIdSchema = Type.String({ pattern: '^[0-9a-f]{64}$', description: 'SHA-256 of the JPEG' });

const peerOf = (p: Peer | undefined): Peer => {
  if (!p) throw new CentreError('CTR_ERR_AUTH_CERTIFICATE');
  return p;
};

export function evidenceRoutes(app: App, s: Services): void {
  app.post(
    '/lane-captures',
    {
      config: { access: 'station' },
      schema: {
        tags: ['evidence'],
        summary: '车道抓拍 — a lane camera capture of a plate (entry or exit), with an optional JPEG',
        body: Type.Object(
          {
            station: Type.String({ minLength: 14, maxLength: 14, description: '14-char station ID' }),
            lane: Type.String({ minLength: 21, maxLength: 21, description: '21-char lane ID' }),
            time: IsoSchema,
            plate: Type.String({ minLength: 2, maxLength: 16 }),
            colour: Type.Integer({ minimum: 0, maximum: 12, description: 'national plate colour code' }),
            kind: Type.Union([Type.Literal('entry'), Type.Literal('exit')]),
            photo: Type.Optional(PhotoSchema),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ id: Type.Integer(), photoId: Type.Union([Type.String(), Type.Null()]) }),
          ...errorResponses,
        },
      },
    },
    async (req) => s.evidence.laneCapture(req.body, peerOf(req.peer)),
  );

  app.post(
    '/gantry-photos',
    {
      config: { access: 'station' },
      schema: {
        tags: ['evidence'],
        summary: '门架照片 — the gantry camera photo of a passage the centre holds',
        body: Type.Object(
          {
            passId: Type.String({ minLength: 36, maxLength: 40 }),
            gantry: Type.String({ minLength: 6, maxLength: 19 }),
            time: IsoSchema,
            photo: PhotoSchema,
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ photoId: Type.String() }), ...errorResponses },
      },
    },
    async (req) => s.evidence.gantryPhoto(req.body, peerOf(req.peer)),
  );

  app.get(
    '/photos/:id',
    {
      config: { access: 'station' },
      schema: {
        tags: ['evidence'],
        summary: '照片 — a lane or gantry photo (JPEG), for a station of the province it was taken in [P]',
        params: Type.Object({ id: PhotoIdSchema }),
        response: { 200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }), ...errorResponses },
      },
    },
    async (req, reply) => {
      const p = await s.evidence.photo(req.params.id, peerOf(req.peer));
      reply.type('image/jpeg');
      // Content-addressed: the same id is always the same bytes.
      reply.header('cache-control', 'private, max-age=86400, immutable');
      return reply.send(Buffer.from(p.content.buffer, p.content.byteOffset, p.content.byteLength));
    },
  );
}
