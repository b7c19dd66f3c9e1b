import { describe, expect, it } from 'vitest';
import { acceptAnswer, openAttempt, runPayment } from './payment-runner';
import { harness, testAttempt, testIntent } from './testing/harness';

describe('runPayment', () => {
  it('pays at once: persisted before the request, then succeeded with the platform facts', async () => {
    const h = harness({});
    const outcome = await runPayment(testAttempt(testIntent()), h.deps);
    expect(outcome.kind).toBe('succeeded');
    expect(outcome.record.paid?.amountFen).toBe(3500);
    expect(h.store.writes[0]?.phase).toBe('submitted');
    expect(h.store.writes[0]?.outgoing).toBe('pay');
    expect(h.platform.captured(testIntent().payId)).toHaveLength(1);
  });

  it('a password wait polls on the schedule (5 s, then every 3 s) and the collector is told why', async () => {
    const h = harness({ scenario: { kind: 'paying', queries: 2, ending: 'paid' } });
    const seen: string[] = [];
    const queryTimes: number[] = [];
    const port = h.deps.port;
    const outcome = await runPayment(testAttempt(testIntent()), {
      ...h.deps,
      port: {
        ...port,
        payByCode: (r) => port.payByCode(r),
        query: (no) => {
          queryTimes.push(h.now());
          return port.query(no);
        },
      },
      onProgress: (r) => seen.push(r.phase),
    });
    expect(outcome.kind).toBe('succeeded');
    const start = h.store.writes[0]?.firstSentAt ?? '';
    expect(queryTimes.map((t) => t - Date.parse(start))).toEqual([5_000, 8_000, 11_000]);
    expect(seen).toContain('user-paying');
  });

  it('a payer who never confirms: polling stops at the deadline, queried, then cancelled', async () => {
    const h = harness({ scenario: { kind: 'paying', queries: 1000, ending: 'abandon' } });
    const outcome = await runPayment(testAttempt(testIntent()), h.deps);
    expect(outcome.kind).toBe('cancelled');
    const ops = h.platform.log.map((e) => e.op);
    expect(ops.at(-1)).toBe('reverse');
    expect(ops.at(-2)).toBe('query');
  });

  it('a definite decline ends failed, no query and no cancel', async () => {
    const h = harness({ scenario: { kind: 'insufficient' } });
    const outcome = await runPayment(testAttempt(testIntent()), h.deps);
    expect(outcome.kind).toBe('failed');
    expect(outcome.record.reason).toBe('insufficient');
    expect(h.platform.log.map((e) => e.op)).toEqual(['pay']);
  });

  it('safeguard lost-answer-after-capture: the query finds the capture; one payment, no second charge', async () => {
    const h = harness({ faults: ['lose-after'] });
    const outcome = await runPayment(testAttempt(testIntent()), h.deps);
    expect(outcome.kind).toBe('succeeded');
    expect(h.platform.log.map((e) => e.op)).toEqual(['pay', 'query']);
    expect(h.platform.captured(testIntent().payId)).toHaveLength(1);
  });

  it('safeguard query-before-cancel: an unknown outcome is queried before any cancel', async () => {
    const h = harness({ faults: ['lose-before'] });
    const outcome = await runPayment(testAttempt(testIntent()), h.deps);
    expect(outcome.kind).toBe('cancelled');
    const ops = h.platform.log.map((e) => `${e.op}:${e.delivered ? 'ok' : 'lost'}`);
    expect(ops).toEqual(['pay:lost', 'query:ok', 'reverse:ok']);
  });

  it('safeguard query-before-cancel: with every query lost it stays pending and never cancels', async () => {
    const h = harness({ faults: ['lose-after', 'lose-before', 'lose-before', 'lose-before'] });
    const outcome = await runPayment(testAttempt(testIntent()), h.deps);
    expect(outcome.kind).toBe('pending');
    expect(h.platform.log.some((e) => e.op === 'reverse')).toBe(false);
  });

  it('safeguard resume-after-restart: a persisted submitted attempt is queried first, never paid again', async () => {
    const h = harness({ crashes: ['after-write'] });
    await expect(runPayment(testAttempt(testIntent()), h.deps)).rejects.toThrow('TEST crash');
    const persisted = h.store.record;
    expect(persisted?.phase).toBe('submitted');
    if (!persisted) throw new Error('nothing persisted');
    const outcome = await runPayment(persisted, h.deps);
    // The crash came after the persist and before the send: not found, so cancelled, never charged.
    expect(outcome.kind).toBe('cancelled');
    expect(h.platform.log.map((e) => e.op)).toEqual(['query', 'reverse']);
  });

  it('safeguard resume-after-restart: a capture whose answer was never stored is found by the query', async () => {
    const h = harness({ crashes: ['ok', 'before-write'] });
    await expect(runPayment(testAttempt(testIntent()), h.deps)).rejects.toThrow('TEST crash');
    const persisted = h.store.record;
    if (!persisted) throw new Error('nothing persisted');
    const outcome = await runPayment(persisted, h.deps);
    expect(outcome.kind).toBe('succeeded');
    expect(h.platform.log.map((e) => e.op)).toEqual(['pay', 'query']);
  });

  it('safeguard amount-fixed: an attempt for another amount under the pay ID is refused before any request', () => {
    const intent = testIntent(3500);
    const opened = openAttempt({
      intent,
      attempt: 2,
      amountFen: 3600,
      mode: 'code',
      channel: 'WECHAT',
      authCode: '134567890123456789',
      subject: 'TEST',
    });
    expect(opened.ok).toBe(false);
    if (!opened.ok) expect(opened.error.code).toBe('PAY_AMOUNT_CHANGED');
  });

  it('safeguard answer-screening: an answer for another out-trade-no is discarded, the attempt stays unclear', async () => {
    const h = harness({});
    const port = h.deps.port;
    const outcome = await runPayment(testAttempt(testIntent()), {
      ...h.deps,
      port: {
        ...port,
        payByCode: async (r) => ({ ...(await port.payByCode(r)), outTradeNo: `${r.payId}-9` }),
        query: (no) => port.query(no),
      },
    });
    // The foreign answer is not taken as paid; the query (ours) says paid.
    expect(outcome.kind).toBe('succeeded');
    expect(outcome.record.anomalies.map((a) => a.code)).toEqual(['PAY_ANSWER_MISMATCH']);
    expect(h.platform.log.map((e) => e.op)).toEqual(['pay', 'query']);
  });

  it('a transport error is an unknown outcome (queried), never a decline', async () => {
    const h = harness({ faults: ['throw'] });
    const outcome = await runPayment(testAttempt(testIntent()), h.deps);
    expect(outcome.kind).toBe('succeeded');
  });

  it('a cancel waits for the 15 s minimum after the pay call', async () => {
    const h = harness({ faults: ['lose-before'] });
    const reverseAt: number[] = [];
    const port = h.deps.port;
    await runPayment(testAttempt(testIntent()), {
      ...h.deps,
      port: {
        ...port,
        payByCode: (r) => port.payByCode(r),
        query: (no) => port.query(no),
        reverse: (no) => {
          reverseAt.push(h.now());
          return port.reverse(no);
        },
      },
    });
    expect(reverseAt[0]).toBe(Date.parse(h.store.writes[0]?.firstSentAt ?? '') + 15_000);
  });

  it('the 主扫 mode shows a code and learns the outcome by polling', async () => {
    const h = harness({});
    const opened = openAttempt({
      intent: testIntent(),
      attempt: 1,
      amountFen: 3500,
      mode: 'dynamic',
      channel: 'ALIPAY',
      subject: 'TEST',
    });
    if (!opened.ok) throw opened.error;
    const outcome = await runPayment(opened.value, h.deps);
    expect(outcome.kind).toBe('succeeded');
    expect(outcome.record.codeUrl).toContain(opened.value.outTradeNo);
  });

  it('a late answer is applied like any other; one contradicting a final state is kept as an anomaly', () => {
    const record = { ...testAttempt(testIntent()), phase: 'unknown' as const };
    const paid = acceptAnswer(
      record,
      'pay',
      {
        kind: 'paid',
        outTradeNo: record.outTradeNo,
        amountFen: 3500,
        platformOrderNo: 'TEST1',
        paidAt: '2024-01-17T07:20:01Z',
        channel: 'WECHAT',
      },
      new Date(),
    );
    expect(paid.phase).toBe('succeeded');
    const conflict = acceptAnswer(
      { ...record, phase: 'failed' },
      'query',
      {
        kind: 'paid',
        refundedFen: 0,
        outTradeNo: record.outTradeNo,
        amountFen: 3500,
        platformOrderNo: 'TEST1',
        paidAt: '2024-01-17T07:20:01Z',
        channel: 'WECHAT',
      },
      new Date(),
    );
    expect(conflict.phase).toBe('failed');
    expect(conflict.anomalies.map((a) => a.code)).toEqual(['PAY_ANSWER_CONFLICT']);
  });

  it('the collector stopping the wait goes to a query, then a cancel (payments.md §4)', async () => {
    const h = harness({ scenario: { kind: 'paying', queries: 1000, ending: 'abandon' } });
    let polls = 0;
    const port = h.deps.port;
    const outcome = await runPayment(testAttempt(testIntent()), {
      ...h.deps,
      port: {
        ...port,
        payByCode: (r) => port.payByCode(r),
        query: (no) => {
          polls++;
          return port.query(no);
        },
        reverse: (no) => port.reverse(no),
      },
      stopRequested: () => polls >= 2,
    });
    expect(outcome.kind).toBe('cancelled');
    expect(h.platform.log.map((e) => e.op)).toEqual(['pay', 'query', 'query', 'query', 'reverse']);
    expect(outcome.record.reason).not.toBeNull();
  });

  it('an unpaid attempt past its cancel window is queried, not left pending: a payer who finished meanwhile is found', async () => {
    const h = harness({});
    const paid = await runPayment(testAttempt(testIntent()), h.deps);
    expect(paid.kind).toBe('succeeded');
    // As the station last knew it: a query said "still paying" (unpaid), then the 7-day window closed.
    const sentAt = new Date(h.now() - 8 * 86_400_000).toISOString();
    const stale = { ...paid.record, phase: 'unpaid' as const, paid: null, firstSentAt: sentAt };
    const outcome = await runPayment(stale, h.deps);
    expect(outcome.kind).toBe('succeeded');
    expect(h.platform.log.some((e) => e.op === 'reverse')).toBe(false);
    expect(h.platform.captured(testIntent().payId)).toHaveLength(1);
  });

  it('a cancel whose answer was lost, past its window, is queried: the payer had paid, so succeeded with one capture', async () => {
    const h = harness({});
    const paid = await runPayment(testAttempt(testIntent()), h.deps);
    expect(paid.kind).toBe('succeeded');
    // As the station last knew it: a cancel went out and its answer was lost, then the 7-day window closed.
    const sentAt = new Date(h.now() - 8 * 86_400_000).toISOString();
    const stale = {
      ...paid.record,
      phase: 'cancelling' as const,
      paid: null,
      firstSentAt: sentAt,
      outgoing: null,
    };
    const outcome = await runPayment(stale, h.deps);
    expect(outcome.kind).toBe('succeeded');
    expect(h.platform.log.some((e) => e.op === 'reverse')).toBe(false);
    expect(h.platform.captured(testIntent().payId)).toHaveLength(1);
  });
});
