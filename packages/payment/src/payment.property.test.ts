import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nextAttempt } from './intent';
import { type AttemptRecord, acceptAnswer, openAttempt, runPayment } from './payment-runner';
import { Crash, harness, testAttempt, testIntent } from './testing/harness';
import type { Fault, LateAnswer, Scenario } from './testing/model-platform';

/**
 * Any interleaving of lost, late, failing and duplicated answers and station restarts (the runner
 * re-created from the last persisted record) ends with the platform model and the station agreeing.
 * Safeguards this holds to (each also has its own test in payment-runner.test.ts): query-before-cancel,
 * resume-queries-first, amount-fixed, answer-screening, one-open-attempt (intent.ts nextAttempt).
 */
const scenarioArb: fc.Arbitrary<Scenario> = fc.oneof(
  fc.constant<Scenario>({ kind: 'paid' }),
  fc.record({
    kind: fc.constant('paying' as const),
    queries: fc.integer({ min: 0, max: 30 }),
    ending: fc.constantFrom('paid' as const, 'abandon' as const),
  }),
  fc.constant<Scenario>({ kind: 'insufficient' }),
  fc.constant<Scenario>({ kind: 'code-invalid' }),
);
const faultArb = fc.oneof(
  { weight: 4, arbitrary: fc.constant<Fault>('deliver') },
  {
    weight: 1,
    arbitrary: fc.constantFrom<Fault>('lose-before', 'lose-after', 'late', 'system-error', 'throw'),
  },
);
const crashArb = fc.oneof(
  { weight: 6, arbitrary: fc.constant('ok' as const) },
  { weight: 1, arbitrary: fc.constantFrom('before-write' as const, 'after-write' as const) },
);
const caseArb = fc.record({
  amountFen: fc.integer({ min: 1, max: 500_000 }),
  scenarios: fc.array(scenarioArb, { minLength: 1, maxLength: 4 }),
  faults: fc.array(faultArb, { maxLength: 40 }),
  crashes: fc.array(crashArb, { maxLength: 40 }),
  /** Per round: deliver the late answers waiting (twice when 'twice': duplicates). */
  lateRounds: fc.array(fc.constantFrom('keep', 'deliver', 'twice'), { maxLength: 40 }),
  /** Per round: a network retransmission of the current attempt's pay request (same body). */
  resends: fc.array(fc.boolean(), { maxLength: 40 }),
  /** The amount the lane offers for each later attempt (a fee recomputed meanwhile); 0: unchanged. */
  /** Per runner sleep: the payer confirms every order still waiting (e.g. between a query and a cancel). */
  confirms: fc.array(fc.boolean(), { maxLength: 40 }),
  /** Per round: the collector stops waiting for the payer. */
  stops: fc.array(fc.boolean(), { maxLength: 40 }),
  amountDrift: fc.array(fc.integer({ min: -500, max: 500 }), { minLength: 4, maxLength: 4 }),
});

const NOT_PAID_QUERY = new Set(['paying', 'not-paid', 'not-found']);

type Case = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;

async function play(c: Case) {
  const intent = testIntent(c.amountFen);
  const codes = c.scenarios.map((_, i) => `13${String(i).padStart(16, '0')}`);
  const confirms = [...c.confirms];
  const h = harness({
    faults: c.faults,
    crashes: c.crashes,
    onSleep: () => {
      if (!confirms.shift()) return;
      for (const order of h.platform.orders.values()) if (order.state === 'paying') order.state = 'paid';
    },
    scenario: (code) => c.scenarios[codes.indexOf(code)] ?? { kind: 'paid' },
  });
  const records = new Map<string, AttemptRecord>();
  /** Query answers the station saw, by platform log length at the time (late ones included). */
  const notPaidSeen: { outTradeNo: string; at: number }[] = [];
  const note = (r: AttemptRecord) => records.set(r.outTradeNo, r);

  const deliverLate = (times: number) => {
    const waiting = h.platform.late.splice(0);
    for (const late of waiting) {
      for (let i = 0; i < times; i++) applyLate(late);
    }
  };
  const applyLate = (late: LateAnswer) => {
    if (late.answer.kind === 'unknown') return;
    const target = records.get(late.answer.outTradeNo);
    if (!target) return;
    if (late.source === 'query' && NOT_PAID_QUERY.has(late.answer.kind)) {
      notPaidSeen.push({ outTradeNo: target.outTradeNo, at: h.platform.log.length });
    }
    note(acceptAnswer(target, late.source, late.answer, new Date(h.now())));
  };

  let current = testAttempt(intent, 1, codes[0]);
  note(current);
  for (let round = 0; round < 300; round++) {
    const late = c.lateRounds[round];
    if (late === 'deliver' || late === 'twice') deliverLate(late === 'twice' ? 2 : 1);
    current = records.get(current.outTradeNo) ?? current;
    if (c.resends[round] && current.phase !== 'intent' && current.authCode) {
      await h.platform
        .payByCode({
          outTradeNo: current.outTradeNo,
          payId: intent.payId,
          amountFen: intent.amountFen,
          authCode: current.authCode,
          channel: current.channel,
          subject: current.subject,
        })
        .catch(() => undefined);
    }
    const logBefore = h.platform.log.length;
    let outcome: Awaited<ReturnType<typeof runPayment>> | null = null;
    try {
      const stop = c.stops[round] ?? false;
      outcome = await runPayment(current, { ...h.deps, stopRequested: () => stop });
      current = outcome.record;
    } catch (e) {
      if (!(e instanceof Crash)) throw e;
      // Restart: the runner is re-created from the last persisted record of this attempt.
      const persisted = h.store.record;
      if (persisted && persisted.outTradeNo === current.outTradeNo) current = persisted;
    }
    for (const entry of h.platform.log.slice(logBefore)) {
      if (entry.op === 'query' && entry.delivered && NOT_PAID_QUERY.has(entry.answer)) {
        notPaidSeen.push({ outTradeNo: entry.outTradeNo, at: h.platform.log.indexOf(entry) });
      }
    }
    note(current);
    if (!outcome || outcome.kind === 'pending' || outcome.kind === 'succeeded') {
      if (outcome?.kind === 'succeeded') break;
      continue;
    }
    const attempt = c.scenarios.length > current.attempt ? current.attempt + 1 : null;
    if (attempt === null) break;
    const next = nextAttempt(intent, [...records.values()]);
    expect(next.ok).toBe(true);
    const offered = intent.amountFen + (c.amountDrift[attempt - 1] ?? 0);
    const opened = openAttempt({
      intent,
      attempt,
      amountFen: offered > 0 ? offered : intent.amountFen,
      mode: 'code',
      channel: 'WECHAT',
      authCode: codes[attempt - 1],
      subject: 'TEST 高速通行费',
    });
    // A changed amount is refused under this pay ID; the lane goes back to the intent's amount.
    current = opened.ok ? opened.value : testAttempt(intent, attempt, codes[attempt - 1]);
    note(current);
  }
  // Every answer still on its way arrives (some twice): nothing changes what was agreed.
  deliverLate(2);
  return { intent, h, records: [...records.values()], notPaidSeen };
}

describe('payment property: platform and station agree', () => {
  it('under any interleaving of lost/late/duplicate answers and restarts, the attempts end final and agree with the platform, with one capture at most per vehicle', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        const { intent, h, records } = await play(c);
        for (const r of records) {
          expect(['succeeded', 'failed', 'cancelled', 'reversed']).toContain(r.phase);
          expect(r.anomalies.filter((a) => a.code === 'PAY_ANSWER_CONFLICT')).toEqual([]);
          const order = h.platform.orders.get(r.outTradeNo);
          expect(r.phase === 'succeeded').toBe(order?.state === 'paid');
          expect(r.phase === 'reversed').toBe(order?.state === 'reversed');
          if (r.phase === 'failed' || r.phase === 'cancelled')
            expect(order?.state ?? 'closed').toBe('closed');
        }
        // never two captures for one vehicle
        expect(h.platform.captured(intent.payId).length).toBeLessThanOrEqual(1);
        expect(records.filter((r) => r.phase === 'succeeded').length).toBe(
          h.platform.captured(intent.payId).length,
        );
      }),
      { numRuns: 500 },
    );
  });

  it('safeguard amount-fixed: every request under the pay ID carries the intent amount, whatever a later attempt offers (the runner sends only the intent amount; openAttempt refuses another)', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        const { intent, h } = await play(c);
        for (const entry of h.platform.log) {
          expect(entry.outTradeNo.startsWith(`${intent.payId}-`)).toBe(true);
          if (entry.amountFen !== undefined) expect(entry.amountFen).toBe(intent.amountFen);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('safeguard query-before-cancel: every cancel follows a query answer that found the order unpaid', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        const { h, notPaidSeen } = await play(c);
        h.platform.log.forEach((entry, i) => {
          if (entry.op !== 'reverse') return;
          expect(notPaidSeen.some((q) => q.outTradeNo === entry.outTradeNo && q.at < i + 1)).toBe(true);
        });
      }),
      { numRuns: 150 },
    );
  });
});
