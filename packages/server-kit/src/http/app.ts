import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Duplex } from 'node:stream';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerFactory,
  type FastifyServerOptions,
  LogController,
  type RawReplyDefaultExpression,
  type RawRequestDefaultExpression,
  type RawServerDefault,
  type RouteOptions,
} from 'fastify';
import type { ServerTlsOptions } from '../tls/options';
import type { CatalogueError } from './errors';
import { boundJsonDepth, JSON_MAX_DEPTH } from './json-body';
import type { HttpMetrics } from './metrics';

/** A Fastify instance with TypeBox schemas, as both servers build it. */
export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

/** Answers an error caught on the socket, before any request exists (set by answerErrors). */
type SocketAnswer = (error: NodeJS.ErrnoException) => { status: number; body: object };
const socketAnswers = new WeakMap<object, SocketAnswer>();

/**
 * Fastify with the house settings: request id from a sane `x-request-id` or a UUID, TypeBox, AJV that
 * coerces query arrays and never drops unknown properties silently, JSON bodies bounded in size and depth.
 * The errors Fastify and Node answer on their own (a bad or too long URL, a malformed request, headers
 * too large) go through the app's catalogue too (see answerErrors).
 */
export function createFastify(opts: {
  logger: FastifyServerOptions['logger'];
  bodyLimit: number;
  /** Deepest JSON nesting accepted; JSON_MAX_DEPTH by default. */
  jsonMaxDepth?: number;
  /** Only failures are logged (by answerErrors) and successes at debug level, not two lines per request. */
  quietRequests?: boolean;
  /** Serve HTTPS with these options (plain HTTP without). */
  https?: ServerTlsOptions;
}): App {
  const tls = opts.https;
  // An https.Server answers requests exactly as http.Server does; the App type keeps the one raw server type.
  // `https` is passed beside the factory only so that Fastify reports https:// addresses.
  const serverFactory: FastifyServerFactory<RawServerDefault> | undefined = tls
    ? (handler) => createHttpsServer(tls, handler) as unknown as RawServerDefault
    : undefined;
  const app = Fastify({
    logger: opts.logger,
    ...(serverFactory ? ({ serverFactory, https: tls } as { serverFactory: typeof serverFactory }) : {}),
    ...(opts.quietRequests ? { logController: new LogController({ disableRequestLogging: true }) } : {}),
    genReqId: (req) => {
      const h = req.headers['x-request-id'];
      return typeof h === 'string' && /^[\w-]{1,64}$/.test(h) ? h : randomUUID();
    },
    bodyLimit: opts.bodyLimit,
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false } },
    // Fastify's own refusals (FST_ERR_BAD_URL, FST_ERR_MAX_PARAM_LENGTH) reach the app's error handler.
    frameworkErrors: passToErrorHandler,
    // While closing, requests in flight finish through the app (its codes) instead of a bare 503 body.
    return503OnClosing: false,
    clientErrorHandler(this: unknown, error: NodeJS.ErrnoException, socket: Duplex) {
      answerOnSocket(socketAnswers.get(this as object), error, socket);
    },
  }).withTypeProvider<TypeBoxTypeProvider>();
  boundJsonDepth(app, opts.jsonMaxDepth ?? JSON_MAX_DEPTH);
  return app;
}

/** The app's error handler (set by answerErrors), for the refusals Fastify makes before routing. */
type Handler = (this: unknown, error: FastifyError, req: FastifyRequest, reply: FastifyReply) => unknown;
const errorHandlers = new WeakMap<object, Handler>();

function passToErrorHandler(error: FastifyError, req: FastifyRequest, reply: FastifyReply): void {
  const handler = errorHandlers.get(req.server);
  if (handler) handler.call(req.server, error, req, reply);
  else reply.send(error);
}

/** A request Node could not parse (or that timed out) gets the catalogue body, then the socket closes. */
function answerOnSocket(answer: SocketAnswer | undefined, error: NodeJS.ErrnoException, socket: Duplex) {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  if (answer && socket.writable) {
    const { status, body } = answer(error);
    const text = JSON.stringify(body);
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
    );
  }
  socket.destroy();
}

/** A route as registered, with who may call it (the apps' route-table tests iterate over these). */
export interface RouteEntry<A> {
  method: string;
  url: string;
  access: A;
  /** The route validates a body. */
  hasBody: boolean;
}

/**
 * Every route must declare who may call it (`config[key]`) and carry a schema; the docs UI routes are
 * public by nature. Returns the table, filled as routes register.
 */
export function requireRouteAccess<A>(app: App, key: string, publicAccess: A): RouteEntry<A>[] {
  const table: RouteEntry<A>[] = [];
  app.addHook('onRoute', (r: RouteOptions) => {
    if (r.url.startsWith('/docs')) {
      r.config = { ...(r.config ?? {}), [key]: publicAccess };
      return;
    }
    const access = (r.config as Record<string, A | undefined> | undefined)?.[key];
    if (access === undefined) throw new Error(`route ${r.method} ${r.url} declares no access`);
    if (!r.schema) throw new Error(`route ${r.method} ${r.url} has no schema`);
    for (const m of Array.isArray(r.method) ? r.method : [r.method]) {
      if (m !== 'HEAD') table.push({ method: m, url: r.url, access, hasBody: r.schema.body !== undefined });
    }
  });
  return table;
}

const VERBOSE = new Set(['debug', 'trace']);

/**
 * Counts and times every answered request by route template (not by raw URL: bounded label sets). The
 * labelled series are looked up once per route, method and status and kept, instead of prom-client hashing
 * the label object on every `inc`/`observe` (the metrics cost ~6 µs per request; this saves ~1.5 µs).
 */
export function observeRequests(app: App, metrics: HttpMetrics): void {
  type Series = {
    duration: ReturnType<HttpMetrics['httpDuration']['labels']>;
    byStatus: Map<number, ReturnType<HttpMetrics['httpRequests']['labels']>>;
  };
  const series = new Map<string, Series>();
  const seriesOf = (route: string, method: string): Series => {
    const key = `${method} ${route}`;
    let s = series.get(key);
    if (!s) {
      s = { duration: metrics.httpDuration.labels({ route, method }), byStatus: new Map() };
      series.set(key, s);
    }
    return s;
  };
  app.addHook('onResponse', (req, reply, done) => {
    const route = req.routeOptions.url ?? 'unknown';
    const s = seriesOf(route, req.method);
    let count = s.byStatus.get(reply.statusCode);
    if (!count) {
      count = metrics.httpRequests.labels({ route, method: req.method, status: String(reply.statusCode) });
      s.byStatus.set(reply.statusCode, count);
    }
    count.inc();
    s.duration.observe(reply.elapsedTime / 1000);
    if (reply.statusCode < 400 && VERBOSE.has(req.log.level)) {
      req.log.debug({ route, status: reply.statusCode, ms: reply.elapsedTime }, 'request done');
    }
    done();
  });
}

export interface ErrorAnswers<E extends CatalogueError<string>> {
  /**
   * The app's catalogue error for anything thrown (its own errors pass through); without a request for
   * what Node refused on the socket before a request existed.
   */
  toError(error: FastifyError, req: FastifyRequest | undefined): E;
  notFound(req: FastifyRequest): E;
  body(e: E, requestId?: string): object;
  /** The code of "database unavailable": answered with Retry-After and counted. */
  unavailableCode: E['code'];
  metrics: HttpMetrics;
}

/** One error answer for every failure: the catalogue body, logged by severity, 503s retryable. */
export function answerErrors<E extends CatalogueError<string>>(app: App, o: ErrorAnswers<E>): void {
  socketAnswers.set(app, (error) => {
    const e = o.toError(socketError(error), undefined);
    app.log.info({ code: e.code, err: error.code }, 'request refused on the socket');
    return { status: e.statusCode, body: o.body(e) };
  });
  const handler = (error: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
    const e = o.toError(error, req);
    const unavailable = e.code === o.unavailableCode;
    if (unavailable) o.metrics.dbUnavailable.inc();
    if (e.statusCode >= 500) req.log.error({ err: error, code: e.code }, 'request failed');
    else req.log.info({ code: e.code, detail: e.detail }, 'request refused');
    if (unavailable) reply.header('retry-after', '1');
    return reply.status(e.statusCode).send(o.body(e, req.id));
  };
  errorHandlers.set(app, handler);
  app.setErrorHandler(handler);
  app.setNotFoundHandler((req, reply) => {
    const e = o.notFound(req);
    return reply.status(e.statusCode).send(o.body(e, req.id));
  });
}

/** Node's socket-level error as the FastifyError shape failureKind reads (status as Node would answer). */
function socketError(error: NodeJS.ErrnoException): FastifyError {
  const statusCode =
    error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  return Object.assign(new Error(error.message), {
    code: error.code ?? 'HPE_INVALID',
    statusCode,
    name: 'ClientError',
  });
}
