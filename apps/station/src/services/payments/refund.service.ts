import { PAY_TYPE, parseExitTradeId, stationIdOf } from '@tollpad/domain';
import {
  type AttemptRecord,
  CHANNEL_WINDOWS,
  mayRefund,
  type PaymentErrorCode,
  parseOutTradeNo,
  parsePayId,
  type RefundSoFar,
  refundNo,
} from '@tollpad/payment';
import {
  type PaymentRefunds,
  REFUND_REASON_MIN,
  type Refund,
  type RefundRequestBody,
  type RefundResult,
  type RefundState,
} from '@tollpad/station-api';
import type { RefundRow } from '../../db/schema';
import { type ErrorCode, StationError } from '../../errors';
import type { Executor } from '../../repositories/executor';
import { attemptOf } from '../../repositories/payments.repository';
import {
  type CapturedPaymentRow,
  REFUND_UNFINISHED_STATES,
  type RefundsRepository,
} from '../../repositories/refunds.repository';
import type { AuditService } from '../audit.service';
import type { Principal } from '../auth.service';
import type { RefundWorker } from './refund-worker';

const DAY_MS = 86_400_000;

export interface RefundServiceDeps {
  db: Executor;
  repo: RefundsRepository;
  worker: RefundWorker;
  audit: AuditService;
  /** This station's IDs, to tell another station's payment from an unknown one. */
  station: () => Promise<{ stationId: string; stationHex: string } | undefined>;
  now: () => Date;
  /** [P] How long a refund request waits for the platform's first answer before answering "requested". */
  answerWaitMs?: number;
}

/** The payment package's refusals as the station's codes. */
const REFUSALS: Partial<Record<PaymentErrorCode, ErrorCode>> = {
  PAY_REFUND_EXCEEDS: 'STN_ERR_REFUND_EXCEEDS',
  PAY_REFUND_TOO_MANY: 'STN_ERR_REFUND_TOO_MANY',
  PAY_REFUND_WINDOW_CLOSED: 'STN_ERR_REFUND_WINDOW_CLOSED',
  PAY_REFUND_REASON_REQUIRED: 'STN_ERR_REFUND_REASON',
  PAY_REFUND_NOT_PAID: 'STN_ERR_REFUND_NOT_CAPTURED',
};

const MESSAGES: Record<RefundState, string> = {
  requested: '退款已提交，正在等待支付平台确认',
  unknown: '支付平台暂未答复，系统将自动重新查询，请勿重复退款',
  refunded: '退款成功，款项将原路退回顾客',
  refused: '支付平台拒绝了这笔退款，未退任何款项',
  conflict:
    '支付平台的答复与本笔退款不符（金额不同或退款单号已被占用），系统不再自动重试：请联系支付平台核实',
};

/**
 * Refunds of a captured QR payment by a monitor or admin (issue #21; payments.md §5, §7): only a captured QR
 * payment of this station, with a reason, within the channel's window, never more than was captured in sum.
 * The refund row and its platform number commit with the audit entry (who, why, how much) BEFORE the platform
 * is asked; the refund worker sends it and asks again after an unclear answer or a restart. One refund per
 * `refundRequestId`. Cash is not refunded here: it goes back from the till, not through a platform.
 */
export class RefundService {
  constructor(private readonly d: RefundServiceDeps) {}

  /** Captured QR payments whose pay ID, out-trade-no, trade ID or plate is `q`. */
  async lookup(q: string, limit: number): Promise<PaymentRefunds[]> {
    const rows = await this.d.repo.capturedMatching(q.trim(), limit);
    return Promise.all(rows.map(async (r) => this.view(r, await this.d.repo.ofTrade(r.out_trade_no))));
  }

  /** One captured payment (by pay ID, out-trade-no or trade ID) with its refunds. */
  async of(ref: string): Promise<PaymentRefunds> {
    const row = await this.captured(ref);
    return this.view(row, await this.d.repo.ofTrade(row.out_trade_no));
  }

  async request(p: Principal, ref: string, body: RefundRequestBody): Promise<RefundResult> {
    const earlier = await this.d.repo.byRequest(body.refundRequestId);
    if (earlier) return this.replay(earlier, ref, body);
    if (body.reason.trim().length < REFUND_REASON_MIN)
      throw new StationError('STN_ERR_REFUND_REASON', `至少${REFUND_REASON_MIN}个字`);
    const row = await this.captured(ref);
    if (!this.d.worker.configured) throw new StationError('STN_ERR_PAY_UNAVAILABLE');
    const paid = paidOf(row);
    const made = await this.keyed(
      body,
      row,
      this.d.db.transaction().execute(async (x) => {
        // Refunds of one payment are decided one after the other: the sum below is the sum that holds.
        await this.d.repo.lockPayment(row.out_trade_no, x);
        const again = await this.d.repo.byRequest(body.refundRequestId, x);
        // The same ID taken meanwhile (a request sent twice at once): its refund only if it asked the same.
        if (again) {
          if (!sameRefund(again, row.out_trade_no, body)) throw reused(body);
          return { row: again, replayed: true };
        }
        // The capture the exit's record holds (or will: the commit binds the exit's capture to its record) is
        // refunded only once that record exists, else the record would say paid in full after the refund.
        // A second capture of an exit recorded with another one can never be recorded: refundable at once.
        if (!(await this.d.repo.settledByRecord(row.out_trade_no, row.txn_id, x)))
          throw new StationError('STN_ERR_REFUND_NOT_RECORDED', row.out_trade_no);
        const refunds = await this.d.repo.ofTrade(row.out_trade_no, x);
        const verdict = mayRefund({
          phase: 'succeeded',
          channel: paid.channel,
          paidFen: paid.amountFen,
          paidAtMs: Date.parse(paid.paidAt),
          nowMs: this.d.now().getTime(),
          amountFen: body.amountFen,
          refunds: refunds.map((r): RefundSoFar => ({ amountFen: r.amount, state: r.state as RefundState })),
          reason: body.reason,
          supervisorId: p.accountId,
        });
        if (!verdict.ok) {
          const code = REFUSALS[verdict.error.code] ?? 'STN_ERR_REQ_INVALID';
          throw new StationError(code, verdict.error.messageZh);
        }
        const seq = refunds.length + 1;
        const no = refundNo(row.out_trade_no, seq);
        if (!no.ok) throw new StationError('STN_ERR_REFUND_TOO_MANY', no.error.messageZh);
        const at = this.d.now().toISOString();
        const inserted: RefundRow = {
          refund_no: no.value,
          request_id: body.refundRequestId,
          pay_id: row.pay_id,
          out_trade_no: row.out_trade_no,
          txn_id: row.txn_id,
          seq,
          amount: body.amountFen,
          reason: body.reason.trim(),
          actor: p.accountId,
          state: 'requested',
          refusal: null,
          refunded_at: null,
          tries: 0,
          created_at: at,
          updated_at: at,
        };
        await this.d.repo.insert(inserted, x);
        await this.d.audit.record(
          {
            actor: p.accountId,
            action: 'payment.refund',
            target: row.pay_id,
            detail: {
              refundNo: no.value,
              outTradeNo: row.out_trade_no,
              tradeId: row.recorded_trade_id,
              amountFen: body.amountFen,
              reason: inserted.reason,
              capturedFen: paid.amountFen,
              leftAfterFen: verdict.leftAfterFen,
              role: p.role,
            },
          },
          x,
        );
        return { row: inserted, replayed: false };
      }),
    );
    // Sent after the commit; the answer is waited for a while so the monitor mostly sees how it ended.
    await Promise.race([
      this.d.worker.launch(made.row.refund_no),
      new Promise((r) => setTimeout(r, this.d.answerWaitMs ?? 12_000).unref()),
    ]);
    return this.result(made.row.refund_no, made.replayed);
  }

  /**
   * The request's decision, or — when the same ID was taken at once for another payment (decided under that
   * payment's lock, so only the key refused this one) — the refund it made if it asked the same, else refused.
   */
  private async keyed<R>(
    body: RefundRequestBody,
    row: CapturedPaymentRow,
    decision: Promise<R | { row: RefundRow; replayed: true }>,
  ): Promise<R | { row: RefundRow; replayed: true }> {
    try {
      return await decision;
    } catch (e) {
      const earlier =
        e instanceof StationError ? undefined : await this.d.repo.byRequest(body.refundRequestId);
      if (!earlier) throw e;
      if (!sameRefund(earlier, row.out_trade_no, body)) throw reused(body);
      return { row: earlier, replayed: true };
    }
  }

  /** The same request ID again: its refund, if the body asks for the same thing; else refused. */
  private async replay(earlier: RefundRow, ref: string, body: RefundRequestBody): Promise<RefundResult> {
    const names = [earlier.pay_id, earlier.out_trade_no];
    const same =
      earlier.amount === body.amountFen &&
      (names.includes(ref) ||
        (await this.captured(ref).catch(() => null))?.out_trade_no === earlier.out_trade_no);
    if (!same) throw new StationError('STN_ERR_REFUND_REQUEST_REUSED', body.refundRequestId);
    return this.result(earlier.refund_no, true);
  }

  private async result(no: string, replayed: boolean): Promise<RefundResult> {
    const row = await this.d.repo.find(no);
    if (!row) throw new StationError('STN_ERR_INTERNAL', `refund ${no} vanished`);
    return { replayed, refund: refundView(row), payment: await this.of(row.out_trade_no) };
  }

  /**
   * The captured attempt `ref` names (the latest captured one: payments.md §7 refunds the later of two), or why
   * there is none: another station's, cash, not QR, not captured, unknown.
   */
  private async captured(ref: string): Promise<CapturedPaymentRow> {
    const attempts = await this.d.repo.attemptsNamed(ref);
    if (attempts.length > 0) {
      const row = attempts.find((a) => a.phase === 'succeeded' && attemptOf(a).paid);
      if (!row) throw new StationError('STN_ERR_REFUND_NOT_CAPTURED', attempts[0]!.phase);
      return row;
    }
    const here = await this.d.station();
    const out = parseOutTradeNo(ref);
    const pay = parsePayId(out.ok ? out.value.payId : ref);
    const hex = pay.ok ? pay.value.laneHex : null;
    if (hex !== null) {
      if (here && !hex.startsWith(here.stationHex)) throw new StationError('STN_ERR_REFUND_FOREIGN', ref);
      throw new StationError('STN_ERR_REFUND_NOT_FOUND', ref);
    }
    const trade = parseExitTradeId(ref);
    if (trade.ok) {
      if (here && stationIdOf(trade.value.laneId) !== here.stationId)
        throw new StationError('STN_ERR_REFUND_FOREIGN', ref);
      const other = await this.d.repo.paidWithout(ref);
      if (other?.payType === PAY_TYPE.CASH) throw new StationError('STN_ERR_REFUND_CASH', ref);
      if (other) throw new StationError('STN_ERR_REFUND_NOT_QR', ref);
    }
    throw new StationError('STN_ERR_REFUND_NOT_FOUND', ref);
  }

  private view(row: CapturedPaymentRow, refunds: readonly RefundRow[]): PaymentRefunds {
    const paid = paidOf(row);
    const sum = (states: readonly string[]) =>
      refunds.filter((r) => states.includes(r.state)).reduce((s, r) => s + r.amount, 0);
    const refundedFen = sum(['refunded']);
    // A conflict's amount stays held (mayRefund counts it too) until a person has checked with the platform.
    const pendingFen = sum(REFUND_UNFINISHED_STATES);
    const windows = CHANNEL_WINDOWS[paid.channel];
    return {
      payId: row.pay_id,
      outTradeNo: row.out_trade_no,
      txnId: row.txn_id,
      tradeId: row.recorded_trade_id,
      laneId: row.lane_id,
      plate: row.plate,
      channel: paid.channel,
      platformOrderNo: paid.platformOrderNo,
      paidAt: paid.paidAt,
      capturedFen: paid.amountFen,
      refundedFen,
      pendingFen,
      refundableFen: paid.amountFen - refundedFen - pendingFen,
      refundUntil: new Date(Date.parse(paid.paidAt) + windows.refundDays * DAY_MS).toISOString(),
      refunds: refunds.map(refundView),
    };
  }
}

/** Whether an earlier refund under the request's ID is the one the request asks for (payment and amount). */
function sameRefund(earlier: RefundRow, outTradeNo: string, body: RefundRequestBody): boolean {
  return earlier.out_trade_no === outTradeNo && earlier.amount === body.amountFen;
}

const reused = (body: RefundRequestBody) =>
  new StationError('STN_ERR_REFUND_REQUEST_REUSED', body.refundRequestId);

function paidOf(row: CapturedPaymentRow): NonNullable<AttemptRecord['paid']> {
  const paid = attemptOf(row).paid;
  if (!paid) throw new StationError('STN_ERR_REFUND_NOT_CAPTURED', row.phase);
  return paid;
}

export function refundView(r: RefundRow): Refund {
  const state = r.state as RefundState;
  return {
    refundRequestId: r.request_id,
    refundNo: r.refund_no,
    payId: r.pay_id,
    outTradeNo: r.out_trade_no,
    amountFen: r.amount,
    reason: r.reason,
    state,
    message: MESSAGES[state],
    refusal: r.refusal,
    by: r.actor,
    refundedAt: r.refunded_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}
