import { randomUUID } from 'node:crypto';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyError, type FastifyServerOptions, type RouteOptions } from 'fastify';
import { errorBody, isStationError, StationError } from '../errors';
import type { Services } from '../services/services';
import type { Metrics } from './metrics';
import { SnapshotRateLimitStore } from './rate-limit-store';
import { registerRoutes } from './routes';
import type { Access, App } from './types';

export interface AppOptions {
  logger: FastifyServerOptions['logger'];
  rateLimitPerMinute: number;
  imageMaxBytes: number;
}

/** A route as registered: what the auth matrix test iterates over. */
export interface RouteEntry {
  method: string;
  url: string;
  access: Access;
  /** The route validates a JSON body. */
  hasBody: boolean;
}

export async function buildApp(services: Services, metrics: Metrics, opts: AppOptions) {
  const app: App = Fastify({
    logger: opts.logger,
    genReqId: (req) => {
      const h = req.headers['x-request-id'];
      return typeof h === 'string' && /^[\w-]{1,64}$/.test(h) ? h : randomUUID();
    },
    // Image uploads are bigger than JSON; the image route itself enforces the configured limit.
    bodyLimit: opts.imageMaxBytes + 1024,
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  const routeTable: RouteEntry[] = [];
  app.decorateRequest('principal', null);

  app.addHook('onRoute', (r: RouteOptions) => {
    // The docs UI routes are public by nature; every other route must say who may call it.
    if (r.url.startsWith('/docs')) {
      r.config = { ...(r.config ?? {}), stationAccess: 'public' };
      return;
    }
    const access = (r.config as { stationAccess?: Access } | undefined)?.stationAccess;
    if (access === undefined) throw new Error(`route ${r.method} ${r.url} declares no access`);
    if (!r.schema) throw new Error(`route ${r.method} ${r.url} has no schema`);
    for (const m of Array.isArray(r.method) ? r.method : [r.method]) {
      if (m !== 'HEAD')
        routeTable.push({ method: m, url: r.url, access, hasBody: r.schema.body !== undefined });
    }
  });

  await app.register(swagger, {
    openapi: {
      info: {
        title: 'tollpad station API',
        version: '0.1.0',
        description: '收费站服务器接口 (station server)',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  await app.register(rateLimit, {
    max: opts.rateLimitPerMinute,
    timeWindow: 60_000,
    store: SnapshotRateLimitStore,
    // Per session, else per terminal, else per address: one flooding handheld cannot starve the others.
    keyGenerator: (req) => {
      const auth = req.headers.authorization;
      if (typeof auth === 'string' && auth.startsWith('Bearer ')) return `s:${auth.slice(7, 40)}`;
      const t = req.headers['x-terminal-id'];
      if (typeof t === 'string' && t.length > 0) return `t:${t.slice(0, 64)}`;
      return `ip:${req.ip}`;
    },
    allowList: (req) => req.url === '/healthz' || req.url === '/metrics',
    errorResponseBuilder: () => new StationError('STN_ERR_RATE_LIMITED'),
  });

  app.addHook('onRequest', async (req) => {
    const access = req.routeOptions.config.stationAccess;
    if (access === undefined) return; // 404 handler
    if (access === 'public') return;
    const auth = req.headers.authorization;
    const token = typeof auth === 'string' && auth.startsWith('Bearer ') ? auth.slice(7) : undefined;
    const principal = await services.auth.authenticate(token);
    if (!access.includes(principal.role)) throw new StationError('STN_ERR_AUTH_FORBIDDEN');
    req.principal = principal;
  });

  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unknown';
    metrics.httpRequests.inc({ route, method: req.method, status: String(reply.statusCode) });
    metrics.httpDuration.observe({ route, method: req.method }, reply.elapsedTime / 1000);
  });

  app.setErrorHandler((error: FastifyError, req, reply) => {
    let e = toStationError(error, services);
    // The photo route speaks the image vocabulary even when the parser refused the body first.
    if (e.code === 'STN_ERR_REQ_TOO_LARGE' && req.url.startsWith('/images'))
      e = new StationError('STN_ERR_IMAGE_TOO_LARGE');
    if (e.code === 'STN_ERR_DB_UNAVAILABLE') metrics.dbUnavailable.inc();
    if (e.statusCode >= 500) req.log.error({ err: error, code: e.code }, 'request failed');
    else req.log.info({ code: e.code, detail: e.detail }, 'request refused');
    if (e.code === 'STN_ERR_DB_UNAVAILABLE') reply.header('retry-after', '1');
    return reply.status(e.statusCode).send(errorBody(e, req.id));
  });

  app.setNotFoundHandler((req, reply) => {
    const e = new StationError('STN_ERR_REQ_NOT_FOUND', `${req.method} ${req.url.split('?')[0]}`);
    return reply.status(404).send(errorBody(e, req.id));
  });

  await registerRoutes(app, services, metrics, opts);
  return { app, routeTable };
}

function toStationError(error: FastifyError, services: Services): StationError {
  if (isStationError(error)) return error;
  if (error.validation) return new StationError('STN_ERR_REQ_INVALID', error.message);
  if (services.db.ops.isUnavailable(error))
    return new StationError('STN_ERR_DB_UNAVAILABLE', undefined, { cause: error });
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new StationError('STN_ERR_REQ_TOO_LARGE');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new StationError('STN_ERR_REQ_MEDIA_TYPE');
  }
  const status = error.statusCode ?? 500;
  if (status === 429) return new StationError('STN_ERR_RATE_LIMITED');
  if (status >= 400 && status < 500) return new StationError('STN_ERR_REQ_INVALID', error.message);
  return new StationError('STN_ERR_INTERNAL', undefined, { cause: error });
}
