/**
 * The platform's clock. Code expiry, the 15-second reverse guard, reverse and refund windows and the
 * settlement day all read it, so a test moves it (payments.md §10.12) instead of waiting.
 */
export class Clock {
  private offsetMs = 0;
  private fixed: number | undefined;

  constructor(private readonly source: () => number = Date.now) {}

  now(): Date {
    return new Date(this.fixed ?? this.source() + this.offsetMs);
  }

  /** Sets the time (it then runs on from there with the real clock). */
  set(at: Date): void {
    this.fixed = undefined;
    this.offsetMs = at.getTime() - this.source();
  }

  advance(ms: number): void {
    if (this.fixed !== undefined) this.fixed += ms;
    else this.offsetMs += ms;
  }

  /** Stops the clock at `at` (tests that compare exact times). */
  freeze(at: Date): void {
    this.fixed = at.getTime();
  }
}

const BEIJING_OFFSET_MS = 8 * 3_600_000;

/** The Beijing calendar day (YYYY-MM-DD) of an instant: channels settle and the Alipay profile reverses by it. */
export function beijingDay(at: Date): string {
  return new Date(at.getTime() + BEIJING_OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant a Beijing day starts. */
export function beijingDayStart(day: string): Date {
  return new Date(Date.parse(`${day}T00:00:00.000Z`) - BEIJING_OFFSET_MS);
}
