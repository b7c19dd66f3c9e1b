import { CHANNEL_WINDOWS, type ChannelWindows, mayCancel } from './cancel-rules';
import type { QrChannel } from './channels';
import { PaymentError, type PaymentErrorCode, type Refusal, refuse } from './errors';
import { checkAmount, type PaymentIntent } from './intent';
import { outTradeNo } from './pay-id';
import { nextPollAt, type PollSchedule, TOLLPAD_POLL } from './poll-schedule';
import type { PaidFacts, PayAnswer, PaymentPort, QueryAnswer, ReverseAnswer } from './port';
import { isRefusal, type PaymentEvent, type PaymentPhase, step } from './states';

/**
 * Runs one payment attempt through the port: pay (被扫) or show a code (主扫), poll on schedule while the
 * payer confirms, query an unclear outcome, cancel only after a query, and persist through a callback
 * before every request (the station's durable outbox stores it). A runner re-created from the persisted
 * record resumes: a submitted attempt is queried before anything else (payments.md §5 step 5).
 */
export interface AttemptRecord {
  readonly intent: PaymentIntent;
  readonly attempt: number;
  /** `<payId>-<attempt>`: reused by every resend, query and cancel of this attempt. */
  readonly outTradeNo: string;
  readonly mode: 'code' | 'dynamic';
  readonly channel: QrChannel;
  /** The driver's 付款码 (mode 'code'). */
  readonly authCode: string | null;
  readonly subject: string;
  readonly phase: PaymentPhase;
  /** ISO-8601 of the first send (cancel windows and the poll deadline count from it). */
  readonly firstSentAt: string | null;
  readonly userPayingAt: string | null;
  readonly polls: number;
  /** The request persisted just before it went out; on resume it is unclear whether it arrived. */
  readonly outgoing: 'pay' | 'query' | 'reverse' | null;
  readonly paid: PaidFacts | null;
  /** The shown code's content (mode 'dynamic'). */
  readonly codeUrl: string | null;
  /** The last definite decline, or the last reason the attempt is unclear. */
  readonly reason: string | null;
  /** Answers refused as not ours or contradicting what is known, kept for the monitor. */
  readonly anomalies: readonly { readonly code: PaymentErrorCode; readonly detail: string }[];
}

export type AttemptResult = { readonly ok: true; readonly value: AttemptRecord } | Refusal;

/** Opens an attempt record; the amount must be the intent's (a pay ID never carries another amount). */
export function openAttempt(input: {
  intent: PaymentIntent;
  attempt: number;
  amountFen: number;
  mode: 'code' | 'dynamic';
  channel: QrChannel;
  authCode?: string;
  subject: string;
}): AttemptResult {
  const amount = checkAmount(input.intent, input.amountFen);
  if (!amount.ok) return amount;
  const no = outTradeNo(input.intent.payId, input.attempt);
  if (!no.ok) return no;
  if (input.mode === 'code' && !input.authCode) return refuse('PAY_CODE_GARBLED');
  return {
    ok: true,
    value: {
      intent: input.intent,
      attempt: input.attempt,
      outTradeNo: no.value,
      mode: input.mode,
      channel: input.channel,
      authCode: input.mode === 'code' ? (input.authCode ?? null) : null,
      subject: input.subject,
      phase: 'intent',
      firstSentAt: null,
      userPayingAt: null,
      polls: 0,
      outgoing: null,
      paid: null,
      codeUrl: null,
      reason: null,
      anomalies: [],
    },
  };
}

export interface RunnerDeps {
  readonly port: PaymentPort;
  readonly now: () => Date;
  readonly sleep: (ms: number) => Promise<void>;
  /** Durable write of the record; awaited before every request and after every answer. */
  readonly persist: (record: AttemptRecord) => Promise<void>;
  readonly schedule?: PollSchedule;
  readonly windows?: ChannelWindows;
  /** The collector stopped waiting for the payer: the outcome becomes unclear, so query then cancel. */
  readonly stopRequested?: () => boolean;
  /** Every change the collector might be shown (see progress.ts). */
  readonly onProgress?: (record: AttemptRecord) => void;
  /** Cancels resent without a definite answer in one run before the attempt is left pending. [P] 3. */
  readonly maxCancelTries?: number;
  /** Backoff between cancel resends (ms). [P] 3 s, doubling. */
  readonly cancelBackoffMs?: number;
}

export type RunOutcome =
  | { readonly kind: 'succeeded'; readonly record: AttemptRecord }
  | { readonly kind: 'failed' | 'cancelled' | 'reversed'; readonly record: AttemptRecord }
  /** Not resolved in this run (no answers, window closed, a contradiction): run again later; barrier down. */
  | { readonly kind: 'pending'; readonly record: AttemptRecord; readonly error: PaymentError };

type AnyAnswer = PayAnswer | QueryAnswer | ReverseAnswer | { kind: 'created'; outTradeNo: string };

/** An answer that is not for this attempt or carries another amount is discarded as unreadable. */
function screen(record: AttemptRecord, answer: AnyAnswer): { answer: AnyAnswer; anomaly?: string } {
  if (answer.kind === 'unknown') return { answer };
  if (answer.outTradeNo !== record.outTradeNo) {
    return { answer: { kind: 'unknown', reason: 'unreadable' }, anomaly: `outTradeNo ${answer.outTradeNo}` };
  }
  if (answer.kind === 'paid' && answer.amountFen !== record.intent.amountFen) {
    return { answer: { kind: 'unknown', reason: 'unreadable' }, anomaly: `amount ${answer.amountFen}` };
  }
  return { answer };
}

function apply(
  record: AttemptRecord,
  source: 'pay' | 'query' | 'reverse',
  raw: AnyAnswer,
  now: Date,
): AttemptRecord {
  const { answer, anomaly } = screen(record, raw);
  let r = record;
  if (anomaly) {
    const detail = `${source}: ${anomaly}`;
    r = { ...r, anomalies: [...r.anomalies, { code: 'PAY_ANSWER_MISMATCH', detail }] };
  }
  const event: PaymentEvent =
    source === 'pay'
      ? { type: 'pay-answer', answer: answer.kind as PayAnswer['kind'] | 'created' }
      : source === 'query'
        ? { type: 'query-answer', answer: answer.kind as QueryAnswer['kind'] }
        : { type: 'cancel-answer', answer: answer.kind as ReverseAnswer['kind'] };
  const next = step(r.phase, event);
  if (isRefusal(next)) {
    return { ...r, anomalies: [...r.anomalies, { code: next.error.code, detail: next.error.message }] };
  }
  const paid = answer.kind === 'paid' && next === 'succeeded' ? answer : r.paid;
  return {
    ...r,
    phase: next,
    paid: paid
      ? {
          outTradeNo: paid.outTradeNo,
          amountFen: paid.amountFen,
          platformOrderNo: paid.platformOrderNo,
          paidAt: paid.paidAt,
          channel: paid.channel,
        }
      : null,
    userPayingAt: next === 'user-paying' && r.userPayingAt === null ? now.toISOString() : r.userPayingAt,
    codeUrl: answer.kind === 'created' && 'codeUrl' in answer ? String(answer.codeUrl) : r.codeUrl,
    reason: answer.kind === 'declined' ? answer.reason : answer.kind === 'unknown' ? answer.reason : r.reason,
    outgoing: null,
  };
}

/**
 * A late or pushed answer (a notification, a delayed reply) for this attempt, applied like any other;
 * one for another attempt or amount is recorded as an anomaly and changes nothing.
 */
export function acceptAnswer(
  record: AttemptRecord,
  source: 'pay' | 'query' | 'reverse',
  answer: PayAnswer | QueryAnswer | ReverseAnswer,
  now: Date,
): AttemptRecord {
  return { ...apply(record, source, answer, now), outgoing: record.outgoing };
}

async function call<T extends AnyAnswer>(request: () => Promise<T>): Promise<T | AnyAnswer> {
  try {
    return await request();
  } catch {
    // A transport failure is an unknown outcome, never a decline: the request may have been processed.
    return { kind: 'unknown', reason: 'timeout' };
  }
}

function pending(record: AttemptRecord, code: PaymentErrorCode, reason: string): RunOutcome {
  return { kind: 'pending', record, error: new PaymentError(code, { phase: record.phase, reason }) };
}

export async function runPayment(start: AttemptRecord, deps: RunnerDeps): Promise<RunOutcome> {
  const schedule = deps.schedule ?? TOLLPAD_POLL;
  const windows = deps.windows ?? CHANNEL_WINDOWS[start.channel];
  const maxCancelTries = deps.maxCancelTries ?? 3;
  const backoff = deps.cancelBackoffMs ?? 3_000;
  let r = start;
  let resolveQueries = 0;
  let cancelTries = 0;
  const save = async (next: AttemptRecord) => {
    const changed = next.phase !== r.phase;
    r = next;
    await deps.persist(r);
    if (changed) deps.onProgress?.(r);
  };
  const query = async () => {
    await save({ ...r, outgoing: 'query' });
    const answer = await call(() => deps.port.query(r.outTradeNo));
    await save(apply(r, 'query', answer, deps.now()));
  };
  const anomaliesAtStart = start.anomalies.length;

  for (;;) {
    if (r.anomalies.slice(anomaliesAtStart).some((a) => a.code === 'PAY_ANSWER_CONFLICT')) {
      return pending(r, 'PAY_ANSWER_CONFLICT', 'the platform contradicted a final state');
    }
    switch (r.phase) {
      case 'intent': {
        const submitted = step(r.phase, { type: 'submit' });
        if (isRefusal(submitted)) return pending(r, submitted.error.code, submitted.error.message);
        await save({ ...r, phase: submitted, firstSentAt: deps.now().toISOString(), outgoing: 'pay' });
        const answer =
          r.mode === 'code'
            ? await call(() =>
                deps.port.payByCode({
                  outTradeNo: r.outTradeNo,
                  payId: r.intent.payId,
                  amountFen: r.intent.amountFen,
                  authCode: r.authCode ?? '',
                  channel: r.channel,
                  subject: r.subject,
                }),
              )
            : await call(() =>
                deps.port.createDynamicCode({
                  outTradeNo: r.outTradeNo,
                  payId: r.intent.payId,
                  amountFen: r.intent.amountFen,
                  subject: r.subject,
                  expiresInSeconds: Math.ceil(schedule.deadlineMs / 1000),
                }),
              );
        await save(apply(r, 'pay', answer, deps.now()));
        break;
      }
      case 'submitted':
        // Resumed with the pay request's fate unknown: query before anything else.
        if (resolveQueries >= schedule.resolveQueries) {
          return pending(r, 'PAY_PENDING', 'the platform did not answer the queries');
        }
        if (resolveQueries > 0) await deps.sleep(schedule.resolveEveryMs);
        resolveQueries++;
        await query();
        break;
      case 'user-paying': {
        const nowMs = deps.now().getTime();
        const at = nextPollAt({
          schedule,
          firstSentAtMs: Date.parse(r.firstSentAt ?? r.intent.createdAt),
          userPayingAtMs: Date.parse(r.userPayingAt ?? r.firstSentAt ?? r.intent.createdAt),
          pollsDone: r.polls,
        });
        if (at === 'expired' || deps.stopRequested?.()) {
          const unclear = step(r.phase, { type: 'poll-expired' });
          if (isRefusal(unclear)) return pending(r, unclear.error.code, unclear.error.message);
          await save({
            ...r,
            phase: unclear,
            reason: at === 'expired' ? 'poll-deadline' : 'collector-stopped',
          });
          break;
        }
        if (at > nowMs) await deps.sleep(at - nowMs);
        if (deps.stopRequested?.()) continue;
        r = { ...r, polls: r.polls + 1 };
        await query();
        break;
      }
      case 'unknown':
        if (resolveQueries >= schedule.resolveQueries) {
          return pending(r, 'PAY_PLATFORM_UNKNOWN', r.reason ?? 'no answer');
        }
        if (resolveQueries > 0) await deps.sleep(schedule.resolveEveryMs);
        resolveQueries++;
        await query();
        break;
      case 'unpaid':
      case 'cancelling': {
        const firstSentAtMs = Date.parse(r.firstSentAt ?? r.intent.createdAt);
        const verdict = mayCancel({
          phase: r.phase,
          channel: r.channel,
          submittedAtMs: firstSentAtMs,
          nowMs: deps.now().getTime(),
          windows,
        });
        if (!verdict.ok) {
          if (verdict.error.code === 'PAY_CANCEL_TOO_EARLY' && 'retryAtMs' in verdict && verdict.retryAtMs) {
            await deps.sleep(verdict.retryAtMs - deps.now().getTime());
            continue;
          }
          // Too late to cancel: only the platform's word ends an unpaid attempt, so ask again each run (a
          // payer who finished after the last query is recorded, not left captured without a record).
          // The same for a cancel whose answer was lost: the query's paid or closed settles it.
          if (resolveQueries < schedule.resolveQueries) {
            if (resolveQueries > 0) await deps.sleep(schedule.resolveEveryMs);
            resolveQueries++;
            await query();
            break;
          }
          return pending(r, verdict.error.code, verdict.error.message);
        }
        if (cancelTries >= maxCancelTries) return pending(r, 'PAY_PENDING', 'the cancel got no answer');
        if (cancelTries > 0) await deps.sleep(backoff * 2 ** (cancelTries - 1));
        cancelTries++;
        const sent = step(r.phase, { type: 'cancel-sent' });
        if (isRefusal(sent)) return pending(r, sent.error.code, sent.error.message);
        await save({ ...r, phase: sent, outgoing: 'reverse' });
        const answer = await call(() => deps.port.reverse(r.outTradeNo));
        await save(apply(r, 'reverse', answer, deps.now()));
        break;
      }
      case 'succeeded':
        return { kind: 'succeeded', record: r };
      case 'failed':
      case 'cancelled':
      case 'reversed':
        return { kind: r.phase, record: r };
    }
  }
}
