import type { FastifyReply } from 'fastify';
import { StationError } from '../errors';
import { ClientAddresses } from './client-address';
import type { App } from './types';

const MAX_KEYS = 10_000;

/**
 * Fixed-window request counts per key. Synchronous: a request is counted and judged in the same turn, so
 * a burst arriving in one tick is judged request by request (the fastify plugin's store handed every
 * caller one shared counter and read it after an await: a whole burst was refused at once).
 */
export class RequestWindows {
  private readonly windows = new Map<string, { count: number; startMs: number }>();

  constructor(private readonly windowMs: number) {}

  /** Counts one request; returns the count in the key's current window and the ms until it ends. */
  hit(key: string, now: number): { count: number; msLeft: number } {
    let w = this.windows.get(key);
    if (!w || w.startMs + this.windowMs <= now) {
      if (!w && this.windows.size >= MAX_KEYS) this.evict(now);
      w = { count: 0, startMs: now };
      this.windows.set(key, w);
    }
    w.count++;
    return { count: w.count, msLeft: w.startMs + this.windowMs - now };
  }

  private evict(now: number): void {
    for (const [k, w] of this.windows) if (w.startMs + this.windowMs <= now) this.windows.delete(k);
    // Still full (a flood of distinct keys): forget the oldest half rather than grow without bound.
    if (this.windows.size >= MAX_KEYS) {
      let drop = MAX_KEYS / 2;
      for (const k of this.windows.keys()) {
        if (drop-- <= 0) break;
        this.windows.delete(k);
      }
    }
  }
}

export interface RequestLimits {
  /** [P] Requests per minute per verified session: one flooding handheld cannot starve the others. */
  perSession: number;
  /** [P] Requests per minute per client address, counted before any session is looked up. */
  perAddress: number;
  /** [P] Login attempts per minute per client address, whatever the account (guessing across accounts). */
  loginsPerAddress: number;
  /** [P] Reverse proxies whose X-Forwarded-For is believed (addresses or CIDR blocks); none by default. */
  trustedProxies: readonly string[];
}

/**
 * Refuses requests beyond the limits with STN_ERR_RATE_LIMITED (429, Retry-After). Keys are the client
 * address (see ClientAddresses) and the verified session, never a header the client chooses: a made-up
 * bearer token or terminal ID would start a fresh window. The address is counted first, before the
 * session is looked up, and without a promise: it is on every request (the fastify plugin cost ~10 µs of
 * the station thread per request, a fifth of a trivial request's whole cost). The session is counted
 * once the auth hook has verified it, before the body is parsed.
 */
export function limitRequests(app: App, limits: RequestLimits, windowMs = 60_000): void {
  const windows = new RequestWindows(windowMs);
  const addresses = new ClientAddresses(limits.trustedProxies);
  app.decorateRequest('clientAddress', '');
  const refuse = (reply: FastifyReply, msLeft: number) => {
    reply.header('retry-after', String(Math.ceil(msLeft / 1000)));
    return new StationError('STN_ERR_RATE_LIMITED');
  };
  app.addHook('onRequest', (req, reply, done) => {
    req.clientAddress = addresses.of(req.socket.remoteAddress, req.headers['x-forwarded-for']);
    if (req.url === '/healthz' || req.url === '/metrics') return done();
    const a = windows.hit(`a:${req.clientAddress}`, Date.now());
    if (a.count > limits.perAddress) return done(refuse(reply, a.msLeft));
    if (req.method === 'POST' && req.routeOptions.url === '/auth/login') {
      const l = windows.hit(`l:${req.clientAddress}`, Date.now());
      if (l.count > limits.loginsPerAddress) return done(refuse(reply, l.msLeft));
    }
    done();
  });
  app.addHook('preParsing', (req, reply, payload, done) => {
    if (!req.principal) return done(null, payload);
    const s = windows.hit(`s:${req.principal.sessionHash}`, Date.now());
    if (s.count > limits.perSession) return done(refuse(reply, s.msLeft));
    done(null, payload);
  });
}
