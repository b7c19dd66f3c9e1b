/**
 * Fixed-window request counter for @fastify/rate-limit. The plugin's LocalStore hands every caller the SAME
 * mutable counter object and reads it after an await: when many requests of one key arrive in one tick,
 * all of them read the final count and all are refused (first seen with group commit, whose fast reads put
 * a whole burst in one tick). This store answers with a snapshot taken at increment time.
 */
type Callback = (err: Error | null, res: { current: number; ttl: number }) => void;

const MAX_KEYS = 10_000;

export class SnapshotRateLimitStore {
  private readonly windows = new Map<string, { count: number; startMs: number }>();

  incr(key: string, cb: Callback, timeWindow: number): void {
    const now = Date.now();
    let w = this.windows.get(key);
    if (!w || w.startMs + timeWindow <= now) {
      if (!w && this.windows.size >= MAX_KEYS) this.evictExpired(now, timeWindow);
      w = { count: 0, startMs: now };
      this.windows.set(key, w);
    }
    w.count++;
    cb(null, { current: w.count, ttl: w.startMs + timeWindow - now });
  }

  read(key: string, cb: Callback, timeWindow: number): void {
    const now = Date.now();
    const w = this.windows.get(key);
    if (!w || w.startMs + timeWindow <= now) cb(null, { current: 0, ttl: 0 });
    else cb(null, { current: w.count, ttl: w.startMs + timeWindow - now });
  }

  child(): SnapshotRateLimitStore {
    return new SnapshotRateLimitStore();
  }

  private evictExpired(now: number, timeWindow: number): void {
    for (const [k, w] of this.windows) if (w.startMs + timeWindow <= now) this.windows.delete(k);
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
