import { SIGNATURE_HEADER } from '@tollpad/tariff/publication';
import { Type } from 'typebox';
import { CentreError } from '../../errors';
import type { Services } from '../../services/services';
import { errorResponses, IsoSchema, signatureHeader } from '../schemas';
import type { App } from '../types';

const VersionSchema = Type.Object({
  version: Type.String(),
  activateAt: Type.String(),
  publishedAt: Type.String(),
  label: Type.String(),
  sha256: Type.String(),
});

export function tariffRoutes(app: App, s: Services): void {
  app.get(
    '/tariffs',
    {
      config: { access: 'station' },
      schema: {
        tags: ['tariffs'],
        summary: '费率版本 — published tariff versions, the one in force and the next',
        response: {
          200: Type.Object({
            versions: Type.Array(VersionSchema),
            current: Type.Union([Type.String(), Type.Null()]),
            next: Type.Union([VersionSchema, Type.Null()]),
          }),
          ...errorResponses,
        },
      },
    },
    async () => s.tariffs.list(),
  );

  app.post(
    '/tariffs',
    {
      config: { access: 'publisher' },
      schema: {
        tags: ['tariffs'],
        summary: 'Publish a tariff file (JSON Lines, packages/tariff format) with its activation time',
        body: Type.Object(
          {
            content: Type.String({ minLength: 1, description: 'the tariff file text' }),
            activateAt: IsoSchema,
          },
          { additionalProperties: false },
        ),
        response: { 200: VersionSchema, 201: VersionSchema, ...errorResponses },
      },
    },
    async (req, reply) => {
      const at = new Date(req.body.activateAt);
      if (Number.isNaN(at.getTime())) throw new CentreError('CTR_ERR_REQ_INVALID', 'activateAt');
      const out = await s.tariffs.publish({ content: req.body.content, activateAt: at });
      return reply.status(out.created ? 201 : 200).send(out.info);
    },
  );

  app.get(
    '/tariffs/:version',
    {
      config: { access: 'station' },
      schema: {
        tags: ['tariffs'],
        summary: 'A tariff file by version, or `current` (in force now); application/x-ndjson',
        params: Type.Object({ version: Type.String({ minLength: 1, maxLength: 32 }) }),
        response: { 200: Type.String(), ...errorResponses },
      },
    },
    async (req, reply) => {
      let version = req.params.version;
      if (version === 'current') {
        const current = s.tariffs.list().current;
        if (current === null) throw new CentreError('CTR_ERR_TARIFF_NONE_ACTIVE');
        version = current;
      }
      const { content: text, signature } = await s.tariffs.signedFile(version);
      const info = s.tariffs.list().versions.find((v) => v.version === version);
      reply.type('application/x-ndjson; charset=utf-8');
      reply.header('x-tariff-version', version);
      if (info) reply.header('x-tariff-activate-at', info.activateAt);
      reply.header(SIGNATURE_HEADER, signatureHeader(signature));
      return text;
    },
  );
}
