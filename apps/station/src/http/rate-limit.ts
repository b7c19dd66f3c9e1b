import type { FastifyRequest } from 'fastify';
import { StationError } from '../errors';
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

/** Per session, else per terminal, else per address: one flooding handheld cannot starve the others. */
function keyOf(req: FastifyRequest): string {
  const auth = req.headers.authorization;
  if (typeof auth === 'string' && auth.startsWith('Bearer ')) return `s:${auth.slice(7, 40)}`;
  const t = req.headers['x-terminal-id'];
  if (typeof t === 'string' && t.length > 0) return `t:${t.slice(0, 64)}`;
  return `ip:${req.ip}`;
}

/**
 * Refuses a key's requests beyond `max` per minute with STN_ERR_RATE_LIMITED (429, Retry-After). Runs
 * first, before the session is looked up, and without a promise: it is on every request (the fastify
 * plugin cost ~10 µs of the station thread per request, a fifth of a trivial request's whole cost).
 */
export function limitRequests(app: App, max: number, windowMs = 60_000): void {
  const windows = new RequestWindows(windowMs);
  app.addHook('onRequest', (req, reply, done) => {
    if (req.url === '/healthz' || req.url === '/metrics') return done();
    const { count, msLeft } = windows.hit(keyOf(req), Date.now());
    if (count <= max) return done();
    reply.header('retry-after', String(Math.ceil(msLeft / 1000)));
    done(new StationError('STN_ERR_RATE_LIMITED'));
  });
}
