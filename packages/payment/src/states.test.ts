import { describe, expect, it } from 'vitest';
import { FINAL, isRefusal, type PaymentEvent, type PaymentPhase, PHASES, step } from './states';

const to = (phase: PaymentPhase, event: PaymentEvent) => {
  const r = step(phase, event);
  return isRefusal(r) ? r.error.code : r;
};
const pay = (answer: Extract<PaymentEvent, { type: 'pay-answer' }>['answer']): PaymentEvent => ({
  type: 'pay-answer',
  answer,
});
const query = (answer: Extract<PaymentEvent, { type: 'query-answer' }>['answer']): PaymentEvent => ({
  type: 'query-answer',
  answer,
});
const cancel = (answer: Extract<PaymentEvent, { type: 'cancel-answer' }>['answer']): PaymentEvent => ({
  type: 'cancel-answer',
  answer,
});

describe('step', () => {
  it('the happy paths: intent → submitted → succeeded / user-paying → succeeded', () => {
    expect(to('intent', { type: 'submit' })).toBe('submitted');
    expect(to('submitted', pay('paid'))).toBe('succeeded');
    expect(to('submitted', pay('user-paying'))).toBe('user-paying');
    expect(to('submitted', pay('created'))).toBe('user-paying');
    expect(to('user-paying', query('paying'))).toBe('user-paying');
    expect(to('user-paying', query('paid'))).toBe('succeeded');
  });

  it('a definite decline fails; a lost answer or a used out-trade-no is unknown', () => {
    expect(to('submitted', pay('declined'))).toBe('failed');
    expect(to('submitted', pay('unknown'))).toBe('unknown');
    expect(to('submitted', pay('out-trade-no-used'))).toBe('unknown');
    expect(to('user-paying', query('closed'))).toBe('failed');
  });

  it('the poll deadline or the collector stopping makes the outcome unclear', () => {
    expect(to('user-paying', { type: 'poll-expired' })).toBe('unknown');
    expect(to('submitted', { type: 'poll-expired' })).toBe('unknown');
  });

  it('safeguard query-before-cancel: no cancel from submitted, user-paying or unknown', () => {
    for (const phase of ['submitted', 'user-paying', 'unknown'] as const) {
      expect(to(phase, { type: 'cancel-sent' })).toBe('PAY_CANCEL_BEFORE_QUERY');
    }
    expect(to('succeeded', { type: 'cancel-sent' })).toBe('PAY_CANCEL_AFTER_SUCCESS');
    expect(to('intent', { type: 'cancel-sent' })).toBe('PAY_TRANSITION_REFUSED');
  });

  it('a query resolves unknown: paid → succeeded, closed → failed, not paid → unpaid (cancel allowed)', () => {
    expect(to('unknown', query('paid'))).toBe('succeeded');
    expect(to('unknown', query('closed'))).toBe('failed');
    for (const a of ['paying', 'not-paid', 'not-found'] as const)
      expect(to('unknown', query(a))).toBe('unpaid');
    expect(to('unknown', query('unknown'))).toBe('unknown');
    expect(to('unpaid', { type: 'cancel-sent' })).toBe('cancelling');
  });

  it('a cancel ends cancelled (unpaid order closed) or reversed (paid order refunded)', () => {
    expect(to('cancelling', cancel('closed'))).toBe('cancelled');
    expect(to('cancelling', cancel('reversed'))).toBe('reversed');
    expect(to('cancelling', cancel('unknown'))).toBe('cancelling');
    expect(to('cancelling', cancel('too-early'))).toBe('unpaid');
    expect(to('cancelling', cancel('expired'))).toBe('unknown');
    // A query after the cancel went out is the platform's word: paid or closed settles it, the rest waits.
    expect(to('cancelling', query('paid'))).toBe('succeeded');
    expect(to('cancelling', query('closed'))).toBe('cancelled');
    expect(to('cancelling', query('not-paid'))).toBe('cancelling');
    expect(to('cancelling', query('unknown'))).toBe('cancelling');
  });

  it('a late definite answer settles an unclear attempt', () => {
    expect(to('unknown', pay('paid'))).toBe('succeeded');
    expect(to('unpaid', pay('paid'))).toBe('succeeded');
    expect(to('unknown', pay('declined'))).toBe('failed');
    expect(to('unknown', pay('user-paying'))).toBe('unknown');
  });

  it('stale answers after a final state change nothing; contradictions are refused as conflicts', () => {
    expect(to('succeeded', query('paying'))).toBe('succeeded');
    expect(to('succeeded', pay('paid'))).toBe('succeeded');
    expect(to('succeeded', query('closed'))).toBe('PAY_ANSWER_CONFLICT');
    expect(to('failed', query('paid'))).toBe('PAY_ANSWER_CONFLICT');
    expect(to('cancelled', pay('paid'))).toBe('PAY_ANSWER_CONFLICT');
    expect(to('reversed', pay('paid'))).toBe('reversed');
    expect(to('cancelled', cancel('reversed'))).toBe('PAY_ANSWER_CONFLICT');
    expect(to('failed', cancel('closed'))).toBe('failed');
  });

  it('nothing leaves a final state, and only intent accepts submit', () => {
    const events: PaymentEvent[] = [
      { type: 'submit' },
      pay('paid'),
      pay('declined'),
      query('paid'),
      query('not-paid'),
      cancel('closed'),
      cancel('reversed'),
      { type: 'poll-expired' },
    ];
    for (const phase of FINAL) {
      for (const event of events) {
        const r = step(phase, event);
        if (!isRefusal(r)) expect(r).toBe(phase);
      }
    }
    for (const phase of PHASES.filter((p) => p !== 'intent')) {
      expect(to(phase, { type: 'submit' })).toBe('PAY_TRANSITION_REFUSED');
    }
  });
});
