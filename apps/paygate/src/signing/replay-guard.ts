/**
 * Refuses a request whose timestamp is off by more than the allowed skew, or whose nonce this merchant
 * already used within the window. A nonce is remembered for twice the skew: any older request is refused
 * by its timestamp anyway.
 */
export class ReplayGuard {
  private readonly seen = new Map<string, number>();

  constructor(private readonly skewSeconds: number) {}

  /** 'ok' records the nonce; the other answers record nothing. */
  check(merchantId: string, timestamp: number, nonce: string, now: Date): 'ok' | 'stale' | 'replayed' {
    const nowMs = now.getTime();
    if (Math.abs(nowMs - timestamp * 1000) > this.skewSeconds * 1000) return 'stale';
    this.purge(nowMs);
    const key = `${merchantId}\n${nonce}`;
    if (this.seen.has(key)) return 'replayed';
    this.seen.set(key, nowMs + 2 * this.skewSeconds * 1000);
    return 'ok';
  }

  /**
   * Entries go in with ever later expiry (now + a constant), so the oldest come first: stop at the first one
   * still live instead of walking the whole map on every request. (A test clock set back only keeps a few
   * entries longer; their timestamps are refused as stale anyway.)
   */
  private purge(nowMs: number): void {
    for (const [key, until] of this.seen) {
      if (until >= nowMs) break;
      this.seen.delete(key);
    }
  }

  /** The remembered nonces (for the data file). */
  snapshot(): [string, number][] {
    return [...this.seen];
  }

  restore(entries: readonly [string, number][]): void {
    for (const [k, v] of entries) this.seen.set(k, v);
  }
}
