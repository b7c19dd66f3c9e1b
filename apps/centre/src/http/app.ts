import { timingSafeEqual } from 'node:crypto';
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
import { CentreError, errorBody, FAILURE_CODES, isCentreError } from '../errors';
import type { Services } from '../services/services';
import type { Metrics } from './metrics';
import { peerOf } from './peer';
import { registerRoutes } from './routes';
import type { Access, App } from './types';

export interface AppOptions {
  logger: FastifyServerOptions['logger'];
  bodyLimitBytes: number;
  apiToken: string | undefined;
  /** Scrape token for /metrics from off the loopback; none = loopback only. */
  metricsToken?: string | undefined;
  /** HTTPS requiring a client certificate from the centre CA; absent only in the plain-HTTP test mode. */
  https?: ServerTlsOptions;
  /** Plain-HTTP test mode: the TEST peer header stands in for the certificate (http/peer.ts). */
  plainHttpTestPeers: boolean;
}

/** A route as registered (the INTERFACES.md test iterates over it). */
export type RouteEntry = KitRouteEntry<Access>;

export async function buildApp(services: Services, metrics: Metrics, opts: AppOptions) {
  const app: App = createFastify({
    logger: opts.logger,
    bodyLimit: opts.bodyLimitBytes,
    ...(opts.https ? { https: opts.https } : {}),
  });

  securityHeaders(app, { https: opts.https !== undefined });

  // Binary status-list files are posted raw.
  app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer' }, (_req, body, done) => {
    done(null, body);
  });

  const routeTable: RouteEntry[] = requireRouteAccess<Access>(app, 'access', 'public');

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
  app.decorateRequest('peer', undefined);
  app.addHook('onRequest', async (req) => {
    const access = req.routeOptions.config.access;
    if (access === undefined || access === 'public') return;
    const peer = peerOf(req, opts.plainHttpTestPeers);
    if (!peer) throw new CentreError('CTR_ERR_AUTH_CERTIFICATE');
    if (access === 'publisher' && peer.role !== 'publisher') {
      throw new CentreError('CTR_ERR_AUTH_PUBLISHER_REQUIRED', peer.role === 'station' ? peer.stationId : '');
    }
    req.peer = peer;
    if (token === undefined) return;
    const auth = req.headers.authorization;
    const given =
      typeof auth === 'string' && auth.startsWith('Bearer ') ? Buffer.from(auth.slice(7)) : undefined;
    if (!given || given.length !== token.length || !timingSafeEqual(given, token)) {
      throw new CentreError('CTR_ERR_AUTH_REQUIRED');
    }
  });

  observeRequests(app, metrics);
  answerErrors(app, {
    toError: (error) => toCentreError(error, services),
    notFound: (req) => new CentreError('CTR_ERR_REQ_NOT_FOUND', `${req.method} ${req.url.split('?')[0]}`),
    body: errorBody,
    unavailableCode: 'CTR_ERR_DB_UNAVAILABLE',
    metrics,
  });

  await registerRoutes(app, services, metrics, opts.metricsToken);
  return { app, routeTable };
}

function toCentreError(error: FastifyError, services: Services): CentreError {
  return catalogueErrorOf(error, {
    own: isCentreError,
    isUnavailable: (e) => services.db.ops.isUnavailable(e),
    codes: FAILURE_CODES,
    make: (code, detail, options) => new CentreError(code, detail, options),
  });
}
