import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import {
  answerErrors,
  catalogueErrorOf,
  createFastify,
  type RouteEntry as KitRouteEntry,
  observeRequests,
  requireRouteAccess,
  type ServerTlsOptions,
  securityHeaders,
} from '@tollpad/server-kit';
import type { FastifyError, FastifyServerOptions } from 'fastify';
import { errorBody, FAILURE_CODES, isStationError, StationError } from '../errors';
import type { Services } from '../services/services';
import type { Metrics } from './metrics';
import { limitRequests, type RequestLimits } from './rate-limit';
import { registerRoutes } from './routes';
import { SESSION_CSRF_HEADER, sessionCookieName, sessionTokenOf } from './session-cookie';
import type { Access, App } from './types';

export interface AppOptions {
  logger: FastifyServerOptions['logger'];
  limits: RequestLimits;
  imageMaxBytes: number;
  /** Scrape token for /metrics from off the loopback; none = loopback only. */
  metricsToken: string | undefined;
  /** HTTPS options; plain HTTP without (STATION_TLS=off, and in-process tests). */
  https?: ServerTlsOptions;
}

/**
 * [P] Largest JSON body (an exit's commit with both card files is under 2 KiB). The image route has its
 * own, larger limit (`imageMaxBytes`).
 */
export const JSON_BODY_MAX_BYTES = 64 * 1024;

/** A route as registered: what the auth matrix test iterates over. */
export type RouteEntry = KitRouteEntry<Access>;

export async function buildApp(services: Services, metrics: Metrics, opts: AppOptions) {
  // Two log lines per request cost ~10% of an exit's CPU: failures are logged, successes at debug level.
  const app: App = createFastify({
    logger: opts.logger,
    bodyLimit: JSON_BODY_MAX_BYTES,
    quietRequests: true,
    ...(opts.https ? { https: opts.https } : {}),
  });
  securityHeaders(app, { https: opts.https !== undefined });
  app.decorateRequest('principal', null);
  const routeTable: RouteEntry[] = requireRouteAccess<Access>(app, 'stationAccess', 'public');

  await app.register(swagger, {
    openapi: {
      info: {
        title: 'tollpad station API',
        version: '0.1.0',
        description: '收费站服务器接口 (station server)',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          // The handheld's session: the HttpOnly cookie counts only beside its x-tollpad-csrf header.
          session: { type: 'apiKey', in: 'cookie', name: sessionCookieName(opts.https !== undefined) },
          csrf: { type: 'apiKey', in: 'header', name: SESSION_CSRF_HEADER },
        },
      },
      security: [{ bearer: [] }, { session: [], csrf: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  limitRequests(app, opts.limits);

  app.addHook('onRequest', async (req) => {
    const access = req.routeOptions.config.stationAccess;
    if (access === undefined) return; // 404 handler
    if (access === 'public') return;
    const principal = await services.auth.authenticate(sessionTokenOf(req.headers, opts.https !== undefined));
    if (!access.includes(principal.role)) throw new StationError('STN_ERR_AUTH_FORBIDDEN');
    req.principal = principal;
  });

  observeRequests(app, metrics);
  answerErrors(app, {
    toError: (error, req) => {
      const e = toStationError(error, services);
      // The photo route speaks the image vocabulary even when the parser refused the body first.
      return e.code === 'STN_ERR_REQ_TOO_LARGE' && req?.url.startsWith('/images')
        ? new StationError('STN_ERR_IMAGE_TOO_LARGE')
        : e;
    },
    notFound: (req) => new StationError('STN_ERR_REQ_NOT_FOUND', `${req.method} ${req.url.split('?')[0]}`),
    body: errorBody,
    unavailableCode: 'STN_ERR_DB_UNAVAILABLE',
    metrics,
  });

  await registerRoutes(app, services, metrics, opts);
  return { app, routeTable };
}

function toStationError(error: FastifyError, services: Services): StationError {
  return catalogueErrorOf(error, {
    own: isStationError,
    isUnavailable: (e) => services.db.ops.isUnavailable(e),
    codes: FAILURE_CODES,
    make: (code, detail, options) => new StationError(code, detail, options),
  });
}
