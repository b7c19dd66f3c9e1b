import type {
  Commit,
  CpcCommit,
  CpcPaymentIntent,
  CreateExit,
  DebitIntent,
  ExitFeeRequest,
  NoneCommit,
  PaymentAttempt,
  PaymentStatus,
  Recovery,
} from '@tollpad/station-api';
import type { ExitRecordRow, ExitTxnRow } from '../db/schema';
import { StationError } from '../errors';
import type { ExitListFilter } from '../repositories/exits.repository';
import type { Principal } from './auth.service';
import type { Committed } from './exit/commit';
import type { CpcExitTypes } from './exit/cpc-exit';
import type { EtcExitTypes } from './exit/etc-exit';
import type { NoneExitTypes } from './exit/none-exit';
import type { ExitService } from './exit.service';
import { readJsonColumn } from './json-columns';
import type { PaymentWorker } from './payments/payment-worker';

/** One exit service per medium, each composed of that medium's parts (DESIGN.md §7). */
export interface ExitServicesByMedium {
  etc: ExitService<EtcExitTypes>;
  cpc: ExitService<CpcExitTypes>;
  none: ExitService<NoneExitTypes>;
}

/** Media paid by method (QR, cash, the driver's ETC card) rather than by their own card's purchase. */
const BY_METHOD: ReadonlySet<string> = new Set(['cpc', 'none']);

/** Media whose cash payment the desk reports (an arrears payback is paid by method too, through its own routes). */
const CASH_MEDIA: ReadonlySet<string> = new Set([...BY_METHOD, 'arrears']);

/**
 * The exit transaction resource for every medium: 【读卡】 picks the medium from what was read, and every later
 * step goes to the service of the medium the row names (its `medium` column). A body shaped for another
 * medium than the row's is refused (STN_ERR_EXIT_MEDIUM_MISMATCH) after the caller is known to own the row.
 */
export class ExitDesk {
  constructor(
    private readonly by: ExitServicesByMedium,
    private readonly payments?: PaymentWorker,
    /** Before any payment intent: ARREARS_PAYBACK_BEFORE_EXIT's refusal (exit/arrears-gate.ts). */
    private readonly beforePayment?: (t: ExitTxnRow) => Promise<void>,
  ) {}

  /**
   * The exit's payment as the collector follows it (long poll): a QR attempt from the payment outbox, answered
   * when its version passes `since` or after `waitMs`; cash from the announced intent.
   */
  async payment(
    p: Principal,
    id: string,
    since: number,
    waitMs: number,
    signal?: AbortSignal,
  ): Promise<PaymentStatus> {
    const t = await this.read(p, id);
    const cash = cashStatusOf(t);
    const qr =
      cash || !this.payments || !t.trade_id
        ? null
        : await this.payments.wait(t.id, since, waitMs, signal, t.trade_id);
    const status = cash ?? qr;
    if (!status) throw new StationError('STN_ERR_PAY_NOT_FOUND');
    return status;
  }

  /** The payment right after the intent (no wait). */
  async paymentNow(t: ExitTxnRow): Promise<PaymentStatus | undefined> {
    const cash = cashStatusOf(t);
    if (cash || !this.payments || !t.trade_id) return cash ?? undefined;
    return (await this.payments.status(t.id, t.trade_id)) ?? undefined;
  }

  /** The collector stops waiting for the payer: the station queries, then cancels. */
  async stopPayment(p: Principal, id: string): Promise<PaymentStatus> {
    const t = await this.read(p, id);
    this.payments?.stop(t.id);
    return this.payment(p, id, -1, 0);
  }

  /** Another code under the same pay ID and amount, after the last attempt ended not paid. */
  async anotherAttempt(p: Principal, id: string, body: PaymentAttempt): Promise<PaymentStatus> {
    const t = await this.read(p, id);
    if (!this.payments) throw new StationError('STN_ERR_PAY_UNAVAILABLE');
    if (t.state !== 'debit_pending') throw new StationError('STN_ERR_EXIT_BAD_STATE', t.state);
    // Only the pending QR intent takes another code: after cash (or an undone QR intent) a code would be
    // captured beside the cash, under a trade no record will name.
    const debit = t.debit_json ? readJsonColumn<{ payment?: string }>(t.debit_json) : null;
    if (debit?.payment !== 'qr' || !t.trade_id)
      throw new StationError('STN_ERR_EXIT_BAD_STATE', 'not a QR payment');
    const tradeId = t.trade_id;
    // The check above is advisory; the insert re-checks under the exit row's lock, so a concurrent undo
    // (recover not-debited) cannot void the exit between the check and the new attempt.
    await this.payments.another(t.id, tradeId, body, (work) =>
      (t.medium === 'none' ? this.by.none : this.by.cpc).underDebitPending(id, tradeId, work),
    );
    return this.payment(p, id, -1, 0);
  }

  create(p: Principal, body: CreateExit): Promise<ExitTxnRow> {
    if ('card' in body) return this.by.etc.create(p, body.laneId, body.card);
    if ('none' in body) return this.by.none.create(p, body.laneId, body.none);
    return this.by.cpc.create(p, body.laneId, body.cpc);
  }

  // Steps that do not depend on the medium's parts are the same for every row.
  get(id: string): Promise<ExitTxnRow> {
    return this.by.etc.get(id);
  }

  read(p: Principal, id: string): Promise<ExitTxnRow> {
    return this.by.etc.read(p, id);
  }

  list(filter: ExitListFilter): Promise<ExitTxnRow[]> {
    return this.by.etc.list(filter);
  }

  waitForDecision(p: Principal, id: string, waitMs: number, signal?: AbortSignal): Promise<ExitTxnRow> {
    return this.by.etc.waitForDecision(p, id, waitMs, signal);
  }

  cancel(p: Principal, id: string, reason: string): Promise<ExitTxnRow> {
    return this.by.etc.cancel(p, id, reason);
  }

  async image(p: Principal, id: string, body: { plate: string; plateColour: number; photoSha256: string }) {
    return this.serviceOf(await this.read(p, id)).image(p, id, body);
  }

  async fee(p: Principal, id: string, body: ExitFeeRequest) {
    return this.serviceOf(await this.read(p, id)).fee(p, id, body);
  }

  async authorise(p: Principal, id: string, body: { approve: boolean; reason: string }) {
    return this.serviceOf(await this.get(id)).authorise(p, id, body);
  }

  /** The payment intent: an ETC debit intent, or a CPC's or no-card exit's payment, by the row's medium. */
  async debitIntent(p: Principal, id: string, body: DebitIntent | CpcPaymentIntent) {
    const t = await this.read(p, id);
    await this.beforePayment?.(t);
    if (BY_METHOD.has(t.medium)) {
      if (!('payment' in body)) throw mismatch(t, 'debit intent');
      return t.medium === 'none'
        ? this.by.none.debitIntent(p, id, body)
        : this.by.cpc.debitIntent(p, id, body);
    }
    if ('payment' in body) throw mismatch(t, 'cash intent');
    return this.etcOf(t).debitIntent(p, id, body);
  }

  async commit(p: Principal, id: string, body: Commit | CpcCommit | NoneCommit): Promise<Committed> {
    const t = await this.read(p, id);
    if (t.medium === 'none') {
      if (!isNoneCommit(body)) throw mismatch(t, 'a card proof or write');
      return this.by.none.commit(p, id, body);
    }
    if (t.medium === 'cpc') {
      if (!('cardWrite' in body) || isNoneCommit(body)) throw mismatch(t, 'ETC proof or no card write');
      return this.by.cpc.commit(p, id, body);
    }
    if ('cardWrite' in body) throw mismatch(t, 'CPC write outcome');
    return this.etcOf(t).commit(p, id, body);
  }

  async recover(
    p: Principal,
    id: string,
    body: Recovery,
  ): Promise<{ txn: ExitTxnRow; record: ExitRecordRow | null }> {
    const t = await this.read(p, id);
    if (t.medium === 'none') {
      if (body.outcome === 'debited') {
        if (!isNoneCommit(body.commit)) throw mismatch(t, 'a card proof or write');
        return this.by.none.recover(p, id, { outcome: 'debited', commit: body.commit });
      }
      return this.by.none.recover(
        p,
        id,
        'cardAtc' in body && body.cardAtc !== undefined
          ? { outcome: 'not-debited', cardAtc: body.cardAtc }
          : { outcome: 'not-debited' },
      );
    }
    if (t.medium === 'cpc') {
      if (body.outcome === 'debited') {
        if (!('cardWrite' in body.commit) || isNoneCommit(body.commit)) throw mismatch(t, 'ETC proof');
        return this.by.cpc.recover(p, id, { outcome: 'debited', commit: body.commit });
      }
      // The driver's ETC card proves no debit by its ATC (payments/etc-card.ts); cash and QR need none.
      return this.by.cpc.recover(
        p,
        id,
        'cardAtc' in body && body.cardAtc !== undefined
          ? { outcome: 'not-debited', cardAtc: body.cardAtc }
          : { outcome: 'not-debited' },
      );
    }
    if (body.outcome === 'debited') {
      if ('cardWrite' in body.commit) throw mismatch(t, 'a card write outcome');
      return this.etcOf(t).recover(p, id, { outcome: 'debited', commit: body.commit });
    }
    if (!('cardAtc' in body) || body.cardAtc === undefined) throw mismatch(t, 'no card ATC');
    return this.etcOf(t).recover(p, id, { outcome: 'not-debited', cardAtc: body.cardAtc });
  }

  private serviceOf(
    t: ExitTxnRow,
  ): ExitService<EtcExitTypes> | ExitService<CpcExitTypes> | ExitService<NoneExitTypes> {
    if (t.medium === 'none') return this.by.none;
    return t.medium === 'cpc' ? this.by.cpc : this.etcOf(t);
  }

  private etcOf(t: ExitTxnRow): ExitService<EtcExitTypes> {
    if (t.medium !== 'etc') throw new StationError('STN_ERR_INTERNAL', `medium ${t.medium}`);
    return this.by.etc;
  }
}

/** A cash payment is complete when announced: the collector took it and gave the change. */
function cashStatusOf(t: ExitTxnRow): PaymentStatus | null {
  if (!CASH_MEDIA.has(t.medium) || !t.debit_json) return null;
  const debit = readJsonColumn<{ payment?: string; amount: number; tendered?: number; change?: number }>(
    t.debit_json,
  );
  if (debit.payment !== 'cash') return null;
  const tendered = debit.tendered ?? debit.amount;
  const change = debit.change ?? 0;
  return {
    payId: t.trade_id ?? '',
    method: 'cash',
    mode: null,
    channel: null,
    attempt: 1,
    outTradeNo: null,
    amount: debit.amount,
    phase: 'succeeded',
    final: true,
    pending: false,
    message: change > 0 ? `现金收讫，请找零 ${(change / 100).toFixed(2)} 元` : '现金收讫',
    codeUrl: null,
    reason: null,
    cash: { tendered, change },
    platformOrderNo: null,
    version: 0,
    updatedAt: t.updated_at,
  };
}

function mismatch(t: ExitTxnRow, sent: string): StationError {
  return new StationError('STN_ERR_EXIT_MEDIUM_MISMATCH', `${sent} for a ${t.medium} exit`);
}

/** A no-card exit's commit: it names no card write. */
function isNoneCommit(body: Commit | CpcCommit | NoneCommit): body is NoneCommit {
  return 'cardWrite' in body && body.cardWrite === 'none';
}
