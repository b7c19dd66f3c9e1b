import { LIST_KINDS, type ListKind } from '@tollpad/lists';
import { SIGNATURE_HEADER } from '@tollpad/tariff/publication';
import { Type } from 'typebox';
import { CentreError } from '../../errors';
import { isListKind } from '../../services/lists.service';
import type { Services } from '../../services/services';
import { errorResponses, signatureHeader } from '../schemas';
import type { App } from '../types';

const KindParam = Type.Object({ kind: Type.String({ description: LIST_KINDS.join(' | ') }) });
const KindVersionParam = Type.Object({ kind: Type.String(), version: Type.String({ maxLength: 32 }) });

const VersionInfoSchema = Type.Object({
  version: Type.String(),
  type: Type.Union([Type.Literal('full'), Type.Literal('delta')]),
  baseVersion: Type.Union([Type.String(), Type.Null()]),
  entryCount: Type.Integer(),
  added: Type.Integer(),
  removed: Type.Integer(),
  source: Type.String(),
  bytes: Type.Integer(),
  createdAt: Type.String(),
});

const Binary = Type.Unsafe<Uint8Array>({ type: 'string', format: 'binary' });

function kindOf(k: string): ListKind {
  if (!isListKind(k)) throw new CentreError('CTR_ERR_LIST_UNKNOWN_KIND', k);
  return k;
}

export function listRoutes(app: App, s: Services): void {
  app.get(
    '/lists',
    {
      config: { access: 'station' },
      schema: {
        tags: ['lists'],
        summary: '状态名单版本 — the version in force and entry count per list kind',
        response: {
          200: Type.Object({
            lists: Type.Array(
              Type.Object({
                kind: Type.String(),
                version: Type.Union([Type.String(), Type.Null()]),
                count: Type.Integer(),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async () => ({ lists: LIST_KINDS.map((k) => s.lists.summary(k)) }),
  );

  app.get(
    '/lists/:kind/versions',
    {
      config: { access: 'station' },
      schema: {
        tags: ['lists'],
        summary: 'Published versions of a list; with `since`, the delta chain after that version',
        params: KindParam,
        querystring: Type.Object({ since: Type.Optional(Type.String({ maxLength: 32 })) }),
        response: {
          200: Type.Object({
            kind: Type.String(),
            current: Type.Union([Type.String(), Type.Null()]),
            versions: Type.Array(VersionInfoSchema),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const kind = kindOf(req.params.kind);
      return {
        kind,
        current: s.lists.summary(kind).version,
        versions: await s.lists.versions(kind, req.query.since),
      };
    },
  );

  for (const type of ['full', 'delta'] as const) {
    app.get(
      type === 'full' ? '/lists/:kind/full/:version' : '/lists/:kind/deltas/:version',
      {
        config: { access: 'station' },
        schema: {
          tags: ['lists'],
          summary:
            type === 'full'
              ? '全量名单 — a full list file (binary, @tollpad/lists format); version `latest` allowed'
              : '增量名单 — a delta file (binary) by its to-version',
          params: KindVersionParam,
          response: { 200: Binary, ...errorResponses },
        },
      },
      async (req, reply) => {
        const f = await s.lists.file(kindOf(req.params.kind), type, req.params.version);
        reply.type('application/octet-stream');
        reply.header('x-list-version', f.version);
        reply.header(SIGNATURE_HEADER, signatureHeader(f.signature));
        return reply.send(Buffer.from(f.bytes.buffer, f.bytes.byteOffset, f.bytes.byteLength));
      },
    );
  }

  app.get(
    '/lists/:kind/lookup/:key',
    {
      config: { access: 'station' },
      schema: {
        tags: ['lists'],
        summary: '名单在线查询 — is a card (20 digits), OBU (16 hex) or vehicle (plate_colour) on the list',
        params: Type.Object({ kind: Type.String(), key: Type.String({ maxLength: 32 }) }),
        response: {
          200: Type.Object({
            kind: Type.String(),
            key: Type.String(),
            version: Type.Union([Type.String(), Type.Null()]),
            hit: Type.Union([Type.Object({ type: Type.Integer(), reason: Type.String() }), Type.Null()]),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const kind = kindOf(req.params.kind);
      const hit = s.lists.lookup(kind, req.params.key);
      return {
        kind,
        key: req.params.key,
        version: s.lists.summary(kind).version,
        hit: hit ? { type: hit.type, reason: hit.reason } : null,
      };
    },
  );

  app.post(
    '/lists/:kind/changes',
    {
      config: { access: 'publisher' },
      schema: {
        tags: ['lists'],
        summary: 'Issuer changes, queued for the next 5-minute delta',
        params: KindParam,
        body: Type.Object(
          {
            changes: Type.Array(
              Type.Object(
                {
                  key: Type.String({ minLength: 1, maxLength: 32 }),
                  type: Type.Integer({ minimum: 0, maximum: 255 }),
                  action: Type.Union([Type.Literal('add'), Type.Literal('remove')]),
                  issuer: Type.Optional(Type.String({ maxLength: 16 })),
                },
                { additionalProperties: false },
              ),
              { maxItems: 100_000 },
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ queued: Type.Integer() }), ...errorResponses },
      },
    },
    async (req) => s.lists.submitChanges(kindOf(req.params.kind), req.body.changes),
  );

  app.post(
    '/lists/:kind/cut',
    {
      config: { access: 'publisher' },
      schema: {
        tags: ['lists'],
        summary: 'Cut a delta from the queued changes now (the 5-minute timer does this too)',
        params: KindParam,
        response: {
          200: Type.Object({ published: Type.Union([VersionInfoSchema, Type.Null()]) }),
          ...errorResponses,
        },
      },
    },
    async (req) => ({ published: await s.lists.cutDelta(kindOf(req.params.kind)) }),
  );

  app.post(
    '/lists/:kind/publish-full',
    {
      config: { access: 'publisher' },
      schema: {
        tags: ['lists'],
        summary: 'Publish a full version of the list in force (at its current version)',
        params: KindParam,
        response: { 200: VersionInfoSchema, ...errorResponses },
      },
    },
    async (req) => s.lists.publishFull(kindOf(req.params.kind)),
  );

  app.post(
    '/lists/:kind/files',
    {
      config: { access: 'publisher' },
      schema: {
        tags: ['lists'],
        summary: 'Upstream feed: a binary full or delta file; a delta must start at the version in force',
        params: KindParam,
        consumes: ['application/octet-stream'],
        body: Binary,
        response: { 201: VersionInfoSchema, ...errorResponses },
      },
      validatorCompiler: () => () => true,
    },
    async (req, reply) => {
      const body: unknown = req.body;
      if (!(body instanceof Uint8Array))
        throw new CentreError('CTR_ERR_REQ_MEDIA_TYPE', 'application/octet-stream');
      const info = await s.lists.ingestFile(kindOf(req.params.kind), new Uint8Array(body));
      return reply.status(201).send(info);
    },
  );
}
