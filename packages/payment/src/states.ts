import { type Refusal, refuse } from './errors';
import type { PayAnswer, QueryAnswer, ReverseAnswer } from './port';

/**
 * One attempt's state machine (DESIGN.md §7, payments.md §3–§5):
 *   intent → submitted → user-paying (polling) → succeeded | failed | unknown
 *   unknown → (query) → unpaid → (cancel) → cancelling → cancelled | reversed;  or → succeeded | failed.
 * `unpaid` is the only state a cancel may leave from: an unclear outcome is queried first, always.
 * Answers that arrive late or twice are events like any other; a contradiction of a final state is refused
 * (PAY_ANSWER_CONFLICT) so the station flags it instead of overwriting what it knows.
 */
export const PHASES = [
  'intent',
  'submitted',
  'user-paying',
  'unknown',
  'unpaid',
  'cancelling',
  'succeeded',
  'failed',
  'cancelled',
  'reversed',
] as const;
export type PaymentPhase = (typeof PHASES)[number];

/** Final states where no money was taken (or it went back): only after one may a new attempt open. */
export const FINAL_NOT_PAID: readonly PaymentPhase[] = ['failed', 'cancelled', 'reversed'];
export const FINAL: readonly PaymentPhase[] = ['succeeded', ...FINAL_NOT_PAID];

export type PaymentEvent =
  /** The request was persisted and is about to go out (pay by code, or a dynamic code created). */
  | { readonly type: 'submit' }
  | { readonly type: 'pay-answer'; readonly answer: PayAnswer['kind'] | 'created' }
  | { readonly type: 'query-answer'; readonly answer: QueryAnswer['kind'] }
  /** The poll deadline passed or the collector stopped waiting: what happened is now unclear. */
  | { readonly type: 'poll-expired' }
  | { readonly type: 'cancel-sent' }
  | { readonly type: 'cancel-answer'; readonly answer: ReverseAnswer['kind'] };

export type StepResult = PaymentPhase | Refusal;

export function isRefusal(result: StepResult): result is Refusal {
  return typeof result !== 'string';
}

function describe(event: PaymentEvent): string {
  return 'answer' in event ? `${event.type}:${event.answer}` : event.type;
}

/** A pay answer's phase while the request is still out (submitted or polling). */
function afterPayAnswer(answer: PaymentEvent & { type: 'pay-answer' }, polling: boolean): PaymentPhase {
  switch (answer.answer) {
    case 'paid':
      return 'succeeded';
    case 'user-paying':
    case 'created':
      return 'user-paying';
    case 'declined':
      return 'failed';
    // OUT_TRADE_NO_USED: an order exists under this number; only a query says what it holds.
    case 'out-trade-no-used':
    case 'unknown':
      return polling ? 'user-paying' : 'unknown';
  }
}

/** A query answer's phase from an unclear state: not-paid/paying/not-found after a query allow a cancel. */
function afterResolvingQuery(answer: QueryAnswer['kind'], stay: PaymentPhase): PaymentPhase {
  switch (answer) {
    case 'paid':
      return 'succeeded';
    case 'closed':
      return 'failed';
    case 'paying':
    case 'not-paid':
    case 'not-found':
      return 'unpaid';
    case 'unknown':
      return stay;
  }
}

export function step(phase: PaymentPhase, event: PaymentEvent): StepResult {
  const refused = () => refuse('PAY_TRANSITION_REFUSED', { phase, event: describe(event) });
  const conflict = () => refuse('PAY_ANSWER_CONFLICT', { phase, answer: describe(event) });
  if (event.type === 'cancel-sent') {
    if (phase === 'unpaid' || phase === 'cancelling') return 'cancelling';
    if (phase === 'succeeded') return refuse('PAY_CANCEL_AFTER_SUCCESS');
    if (phase === 'submitted' || phase === 'user-paying' || phase === 'unknown') {
      return refuse('PAY_CANCEL_BEFORE_QUERY', { phase });
    }
    return refused();
  }
  switch (phase) {
    case 'intent':
      return event.type === 'submit' ? 'submitted' : refused();
    case 'submitted':
      if (event.type === 'pay-answer') return afterPayAnswer(event, false);
      if (event.type === 'poll-expired') return 'unknown';
      // After a restart a submitted attempt is queried before anything else (§5 step 5).
      if (event.type === 'query-answer') {
        return event.answer === 'paying' ? 'user-paying' : afterResolvingQuery(event.answer, 'unknown');
      }
      return refused();
    case 'user-paying':
      if (event.type === 'pay-answer') return afterPayAnswer(event, true);
      if (event.type === 'poll-expired') return 'unknown';
      if (event.type === 'query-answer') {
        if (event.answer === 'paid') return 'succeeded';
        if (event.answer === 'closed') return 'failed';
        // Still waiting for the payer, or the query itself was lost: keep polling.
        return event.answer === 'not-found' ? 'unknown' : 'user-paying';
      }
      return refused();
    case 'unknown':
    case 'unpaid':
      if (event.type === 'query-answer') return afterResolvingQuery(event.answer, phase);
      if (event.type === 'pay-answer') {
        // A late answer: a definite one settles it; an unclear one changes nothing.
        if (event.answer === 'paid') return 'succeeded';
        if (event.answer === 'declined') return 'failed';
        return phase;
      }
      if (event.type === 'poll-expired') return phase;
      return refused();
    case 'cancelling':
      // Once a cancel is out, only its answer decides (it closes an unpaid order or refunds a paid one).
      if (event.type === 'cancel-answer') {
        switch (event.answer) {
          case 'closed':
            return 'cancelled';
          case 'reversed':
            return 'reversed';
          case 'too-early':
            return 'unpaid';
          // Too late to cancel: the order may have been paid meanwhile; query again.
          case 'expired':
            return 'unknown';
          case 'unknown':
            return 'cancelling';
        }
      }
      // A query answer of paid or closed is the platform's word on the order now (after the cancel was
      // sent): it settles an attempt whose cancel answer was lost, even once the cancel window has closed.
      if (event.type === 'query-answer') {
        if (event.answer === 'paid') return 'succeeded';
        if (event.answer === 'closed') return 'cancelled';
        return 'cancelling';
      }
      if (event.type === 'pay-answer' || event.type === 'poll-expired') return 'cancelling';
      return refused();
    case 'succeeded':
      // Stale intermediate answers (sent before the capture was known) change nothing; a final
      // non-paid one contradicts the capture.
      if (event.type === 'pay-answer' || event.type === 'query-answer') {
        return event.answer === 'declined' || event.answer === 'closed' ? conflict() : 'succeeded';
      }
      if (event.type === 'poll-expired') return 'succeeded';
      if (event.type === 'cancel-answer') return conflict();
      return refused();
    case 'failed':
    case 'cancelled':
    case 'reversed': {
      if (event.type === 'poll-expired') return phase;
      if (event.type === 'cancel-answer') {
        // A reverse that gave money back contradicts a state that says none was taken.
        return event.answer === 'reversed' && phase !== 'reversed' ? conflict() : phase;
      }
      if (event.type === 'query-answer' || event.type === 'pay-answer') {
        // A reverse refunded whatever a stale 'paid' answer reports; elsewhere 'paid' contradicts.
        if (event.answer === 'paid') return phase === 'reversed' ? phase : conflict();
        return phase;
      }
      return refused();
    }
  }
}
