import { randomUUID, timingSafeEqual } from 'node:crypto';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyError, type FastifyServerOptions, type RouteOptions } from 'fastify';
import { CentreError, errorBody, isCentreError } from '../errors';
import type { Services } from '../services/services';
import type { Metrics } from './metrics';
import { registerRoutes } from './routes';
import type { Access, App } from './types';

export interface AppOptions {
  logger: FastifyServerOptions['logger'];
  bodyLimitBytes: number;
  apiToken: string | undefined;
}

/** A route as registered (the INTERFACES.md test iterates over it). */
export interface RouteEntry {
  method: string;
  url: string;
  access: Access;
}

export async function buildApp(services: Services, metrics: Metrics, opts: AppOptions) {
  const app: App = Fastify({
    logger: opts.logger,
    genReqId: (req) => {
      const h = req.headers['x-request-id'];
      return typeof h === 'string' && /^[\w-]{1,64}$/.test(h) ? h : randomUUID();
    },
    bodyLimit: opts.bodyLimitBytes,
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  // Binary status-list files are posted raw.
  app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer' }, (_req, body, done) => {
    done(null, body);
  });

  const routeTable: RouteEntry[] = [];
  app.addHook('onRoute', (r: RouteOptions) => {
    if (r.url.startsWith('/docs')) {
      r.config = { ...(r.config ?? {}), access: 'public' };
      return;
    }
    const access = (r.config as { access?: Access } | undefined)?.access;
    if (access === undefined) throw new Error(`route ${r.method} ${r.url} declares no access`);
    if (!r.schema) throw new Error(`route ${r.method} ${r.url} has no schema`);
    for (const m of Array.isArray(r.method) ? r.method : [r.method]) {
      if (m !== 'HEAD') routeTable.push({ method: m, url: r.url, access });
    }
  });

  await app.register(swagger, {
    openapi: {
      info: {
        title: 'tollpad reference provincial centre API',
        version: '0.1.0',
        description:
          '省中心参考实现 (reference centre): records, lists, tariffs, online fee, PSAM authorisation',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: opts.apiToken ? [{ bearer: [] }] : [],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  const token = opts.apiToken ? Buffer.from(opts.apiToken) : undefined;
  app.addHook('onRequest', async (req) => {
    const access = req.routeOptions.config.access;
    if (access === undefined || access === 'public' || token === undefined) return;
    const auth = req.headers.authorization;
    const given =
      typeof auth === 'string' && auth.startsWith('Bearer ') ? Buffer.from(auth.slice(7)) : undefined;
    if (!given || given.length !== token.length || !timingSafeEqual(given, token)) {
      throw new CentreError('CTR_ERR_AUTH_REQUIRED');
    }
  });

  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unknown';
    metrics.httpRequests.inc({ route, method: req.method, status: String(reply.statusCode) });
    metrics.httpDuration.observe({ route, method: req.method }, reply.elapsedTime / 1000);
  });

  app.setErrorHandler((error: FastifyError, req, reply) => {
    const e = toCentreError(error, services);
    if (e.code === 'CTR_ERR_DB_UNAVAILABLE') metrics.dbUnavailable.inc();
    if (e.statusCode >= 500) req.log.error({ err: error, code: e.code }, 'request failed');
    else req.log.info({ code: e.code, detail: e.detail }, 'request refused');
    if (e.code === 'CTR_ERR_DB_UNAVAILABLE') reply.header('retry-after', '1');
    return reply.status(e.statusCode).send(errorBody(e, req.id));
  });

  app.setNotFoundHandler((req, reply) => {
    const e = new CentreError('CTR_ERR_REQ_NOT_FOUND', `${req.method} ${req.url.split('?')[0]}`);
    return reply.status(404).send(errorBody(e, req.id));
  });

  await registerRoutes(app, services, metrics);
  return { app, routeTable };
}

function toCentreError(error: FastifyError, services: Services): CentreError {
  if (isCentreError(error)) return error;
  if (error.validation) return new CentreError('CTR_ERR_REQ_INVALID', error.message);
  if (services.db.ops.isUnavailable(error))
    return new CentreError('CTR_ERR_DB_UNAVAILABLE', undefined, { cause: error });
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new CentreError('CTR_ERR_REQ_TOO_LARGE');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new CentreError('CTR_ERR_REQ_MEDIA_TYPE');
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) return new CentreError('CTR_ERR_REQ_INVALID', error.message);
  return new CentreError('CTR_ERR_INTERNAL', undefined, { cause: error });
}
