import type { BenchRow } from '@tollpad/domain/bench';

/**
 * [P] A bench must measure what it says: a p95 over requests of which more than 5 % failed (no fee found,
 * an error) times another code path than the collector meets, so none is reported below this share.
 */
export const MIN_OK_SHARE = 0.95;

/** The timings of one kind of request and whether each answered what was asked (a fee found). */
export class Tally {
  private readonly ms: number[] = [];
  private okCount = 0;
  private readonly failures = new Map<string, number>();

  /** One request: its time, and the reason it failed (undefined when it answered ok). */
  add(ms: number, failure?: string): void {
    this.ms.push(ms);
    if (failure === undefined) this.okCount++;
    else this.failures.set(failure, (this.failures.get(failure) ?? 0) + 1);
  }

  get answered(): { ok: number; of: number } {
    return { ok: this.okCount, of: this.ms.length };
  }

  get share(): number {
    return this.ms.length === 0 ? 0 : this.okCount / this.ms.length;
  }

  /** The p95 of all the requests' times; undefined when fewer than MIN_OK_SHARE answered ok. */
  p95(): number | undefined {
    if (this.ms.length === 0 || this.share < MIN_OK_SHARE) return undefined;
    const s = [...this.ms].sort((a, b) => a - b);
    return s[Math.min(s.length - 1, Math.floor(s.length * 0.95))];
  }

  /** Why no p95 is reported: the share and the commonest failures. */
  refusal(): string {
    const top = [...this.failures.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([why, n]) => `${why} ×${n}`)
      .join(', ');
    const { ok, of } = this.answered;
    return `p95 not reported: ${ok}/${of} ok (${pct(this.share)} < ${pct(MIN_OK_SHARE)})${top ? `; ${top}` : ''}`;
  }
}

const pct = (x: number) => {
  const p = Math.round(x * 1000) / 10;
  return `${Number.isInteger(p) ? p : p.toFixed(1)} %`;
};

/**
 * A p95 row with its share answered ok, beside a baseline measured in the same run: neither p95 is stated
 * when its requests mostly failed (the row says why instead, and counts as below goal).
 */
export function tallyRow(o: {
  name: string;
  tally: Tally;
  goalMs: number;
  goal: string;
  baseline: { label: string; tally: Tally; digits?: number };
}): BenchRow {
  const value = o.tally.p95();
  const base = o.baseline.tally.p95();
  const baseline =
    base === undefined
      ? `${o.baseline.label}: ${o.baseline.tally.refusal()}`
      : `${o.baseline.label} p95 ${base.toFixed(o.baseline.digits ?? 2)} ms (${o.baseline.tally.answered.ok}/${o.baseline.tally.answered.of} ok)`;
  if (value === undefined) {
    return {
      name: `${o.name} — ${o.tally.refusal()}`,
      value: Number.NaN,
      unit: 'ms p95',
      goal: o.goal,
      baseline,
      answered: o.tally.answered,
      pass: false,
    };
  }
  return {
    name: o.name,
    value,
    unit: 'ms p95',
    goal: o.goal,
    baseline,
    ...(base === undefined ? {} : { ratio: value / Math.max(base, 1e-6) }),
    answered: o.tally.answered,
    pass: value <= o.goalMs,
  };
}
