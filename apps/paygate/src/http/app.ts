import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import {
  answerErrors,
  catalogueErrorOf,
  createFastify,
  createHttpMetrics,
  type RouteEntry as KitRouteEntry,
  observeRequests,
  requireRouteAccess,
  type ServerTlsOptions,
  securityHeaders,
} from '@tollpad/server-kit';
import type { FastifyServerOptions } from 'fastify';
import { errorBody, FAILURE_CODES, isPaygateError, PaygateError } from '../errors';
import type { Platform } from '../services/context';
import type { ReplayGuard } from '../signing/replay-guard';
import { HEADER } from '../signing/signature';
import { adminAuth } from './admin-auth';
import { merchantAuth } from './merchant-auth';
import { controlRoutes } from './routes/control.routes';
import { driverRoutes } from './routes/driver.routes';
import { orderRoutes } from './routes/orders.routes';
import { paymentRoutes } from './routes/payments.routes';
import { settlementRoutes } from './routes/settlement.routes';
import { systemRoutes } from './routes/system.routes';
import { transportFaults } from './transport-faults';
import type { Access, App } from './types';

export type RouteEntry = KitRouteEntry<Access>;

export async function buildApp(
  p: Platform,
  replay: ReplayGuard,
  opts: { logger: FastifyServerOptions['logger']; https?: ServerTlsOptions },
) {
  const app: App = createFastify({
    logger: opts.logger,
    bodyLimit: p.config.bodyLimitBytes,
    ...(opts.https ? { https: opts.https } : {}),
  });
  securityHeaders(app, { https: opts.https !== undefined });
  const routeTable: RouteEntry[] = requireRouteAccess<Access>(app, 'paygateAccess', 'public');

  await app.register(swagger, {
    openapi: {
      info: {
        title: 'tollpad paygate — reference payment platform (TEST)',
        version: '0.1.0',
        description:
          '支付平台参考实现: merchant-signed 被扫/主扫 payments, query, reverse, refund, settlement file; a TEST ' +
          'control API for faults, the clock and payment codes. Signing: apps/paygate/README.md.',
      },
      components: {
        securitySchemes: {
          merchantSignature: {
            type: 'apiKey',
            in: 'header',
            name: HEADER.signature,
            description:
              'HMAC-SHA256 (hex) with the merchant key over PAYGATE-HMAC-SHA256\\nMETHOD\\npath\\nmerchant\\n' +
              'timestamp\\nnonce\\nsha256(body); with x-paygate-merchant, x-paygate-timestamp, x-paygate-nonce',
          },
          adminToken: { type: 'http', scheme: 'bearer', description: 'TEST admin token, loopback only' },
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  const metrics = createHttpMetrics('tollpad_paygate_');
  adminAuth(app, p.config.adminToken);
  // Before merchantAuth: its onSend signs the answer a fault may have replaced.
  transportFaults(app, p.faults);
  merchantAuth(app, {
    merchants: p.config.merchants,
    replay,
    clock: p.clock,
    bodyLimit: p.config.bodyLimitBytes,
  });
  observeRequests(app, metrics);
  answerErrors(app, {
    toError: (error) =>
      catalogueErrorOf(error, {
        own: isPaygateError,
        isUnavailable: () => false,
        codes: FAILURE_CODES,
        make: (code, detail, options) => new PaygateError(code, detail, options),
      }),
    notFound: (req) => new PaygateError('PGW_ERR_REQ_NOT_FOUND', `${req.method} ${req.url.split('?')[0]}`),
    body: errorBody,
    unavailableCode: 'PGW_ERR_SERVICE_DOWN',
    metrics,
  });

  const names = new Map(p.config.merchants.map((m) => [m.id, m.name]));
  systemRoutes(app, p);
  paymentRoutes(app, p);
  orderRoutes(app, p);
  settlementRoutes(app, p);
  driverRoutes(app, p, (id) => names.get(id) ?? id);
  controlRoutes(app, p);
  return { app, routeTable };
}
