import { describe, expect, it } from 'vitest';
import { Tally, tallyRow } from './bench-tally';

/** n requests of 1..n ms, the first `failed` of them failing. */
function tally(n: number, failed: number, why = 'code 66'): Tally {
  const t = new Tally();
  for (let i = 1; i <= n; i++) t.add(i, i <= failed ? why : undefined);
  return t;
}

const row = (t: Tally, base: Tally) =>
  tallyRow({ name: 'fee', tally: t, goalMs: 50, goal: '≤ 50 ms', baseline: { label: 'base', tally: base } });

describe('bench tally: a p95 only over requests that mostly answered ok', () => {
  it('reports the p95 and the share when 95 % or more answered ok', () => {
    const t = tally(100, 5);
    expect(t.answered).toEqual({ ok: 95, of: 100 });
    expect(t.p95()).toBe(96);
    const r = row(t, tally(100, 0));
    expect(r).toMatchObject({ name: 'fee', value: 96, answered: { ok: 95, of: 100 }, pass: false });
    expect(r.ratio).toBeCloseTo(1, 5);
    expect(r.baseline).toBe('base p95 96.00 ms (100/100 ok)');
  });

  it('refuses the p95 below 95 % and says why: the share and the commonest failures', () => {
    const t = tally(100, 6);
    expect(t.p95()).toBeUndefined();
    const r = row(t, tally(100, 0));
    expect(r.value).toBeNaN();
    expect(r.pass).toBe(false);
    expect(r.ratio).toBeUndefined();
    expect(r.name).toBe('fee — p95 not reported: 94/100 ok (94 % < 95 %); code 66 ×6');
  });

  it('refuses a baseline p95 the same way, and gives no ratio against it', () => {
    const r = row(tally(100, 0), tally(10, 10, 'HTTP 500'));
    expect(r.value).toBe(96);
    expect(r.ratio).toBeUndefined();
    expect(r.baseline).toBe('base: p95 not reported: 0/10 ok (0 % < 95 %); HTTP 500 ×10');
  });

  it('reports nothing over no request', () => {
    expect(new Tally().p95()).toBeUndefined();
  });
});
