import { hash } from 'node:crypto';
import { nationalPayTypeOf, type PaidFacts, type QrChannel } from '@tollpad/payment';
import type { CpcCommit } from '@tollpad/station-api';
import { StationError } from '../../../errors';
import type { Executor } from '../../../repositories/executor';
import type { DebitBase } from '../../json-columns';
import type { PaymentWorker } from '../../payments/payment-worker';
import type { ExitPayment, ExitTypes } from '../exit-parts';

/** debit_json of a QR payment: the attempt request and, once the intent is durable, its pay ID. */
export interface QrDebit extends DebitBase {
  payment: 'qr';
  mode: 'code' | 'dynamic';
  /** The driver's 付款码 (被扫), single use; null for 主扫. */
  authCode: string | null;
  /** The channel of the scanned code; OTHER_QR for 主扫 until the driver pays. */
  channel: QrChannel;
  txnId: string;
  payId: string | null;
  /** Filled at the commit from the captured attempt (the record's payType and platform order). */
  paid?: PaidFacts;
}

/** What a QR payment part needs of the intent (the CPC cell's QR bodies). */
export type QrIntent =
  | { payment: 'qr'; amount: number; mode: 'code'; authCode: string }
  | { payment: 'qr'; amount: number; mode: 'dynamic' };

export type QrTypes = ExitTypes & { intent: QrIntent; debit: QrDebit; proof: CpcCommit; notDebited: object };

export interface QrPaymentOptions {
  worker: PaymentWorker;
  /** The lane's HEX (10), the pay ID's prefix. */
  laneHexOf: (laneId: string) => Promise<string>;
}

/**
 * QR payment (issue #21; payments.md §1–§5): the station calls the platform (merchant credentials never reach a
 * handheld) through the payment worker's outbox. The debit intent mints the pay ID from the exit trade ID and
 * writes the attempt in the same transaction, before any request; the worker runs it (poll, query, cancel).
 * The commit takes only a captured attempt, and binds it to the record in the record's transaction: one record
 * per captured payment. payType from the channel that took the money (nationalPayTypeOf).
 */
export function qrPayment(o: QrPaymentOptions): ExitPayment<QrTypes> {
  return {
    id: 'qr',

    payable: () =>
      o.worker.configured
        ? { payable: true, reason: null, specials: [] }
        : { payable: false, reason: '本站未配置扫码支付平台', specials: [] },

    async announce(t, intent, { now, passId }) {
      if (!o.worker.configured) throw new StationError('STN_ERR_PAY_UNAVAILABLE');
      if (intent.amount !== t.amount)
        throw new StationError('STN_ERR_EXIT_AMOUNT_MISMATCH', `${intent.amount} ≠ ${t.amount}`);
      // Refused before the trade ID is taken: a garbled, foreign or wrong-length code.
      const channel = o.worker.channelOf(intent);
      const at = now.toISOString();
      return {
        payment: 'qr',
        amount: intent.amount,
        exTime: at,
        passId: passId(),
        announcedAt: at,
        mode: intent.mode,
        authCode: intent.mode === 'code' ? intent.authCode : null,
        channel,
        txnId: t.id,
        payId: null,
      };
    },

    // A retried intent answers the pending payment; another code goes through /payment/attempts.
    reannounce(pending, intent) {
      if (pending.amount !== intent.amount)
        throw new StationError('STN_ERR_EXIT_AMOUNT_MISMATCH', `${intent.amount} ≠ ${pending.amount}`);
      return 'same';
    },

    async open(t, debit, tradeId, x: Executor) {
      const r = await o.worker.open(
        {
          txnId: t.id,
          tradeId,
          laneHex: await o.laneHexOf(t.lane_id),
          amountFen: debit.amount,
          subject: `高速通行费 ${t.plate ?? ''}`.trim(),
        },
        debit.mode === 'code' ? { mode: 'code', authCode: debit.authCode ?? '' } : { mode: 'dynamic' },
        x,
      );
      return { ...debit, payId: r.intent.payId };
    },

    launch(debit) {
      if (debit.payId) o.worker.launch(`${debit.payId}-1`);
    },

    async captured(_t, debit) {
      const got = await o.worker.captured(debit.txnId);
      if (!got?.record.paid) throw new StationError('STN_ERR_PAY_NOT_SUCCEEDED');
      // The amount was fixed by the intent and checked on every answer; say so again where money meets record.
      if (got.record.paid.amountFen !== debit.amount)
        throw new StationError(
          'STN_ERR_EXIT_AMOUNT_MISMATCH',
          `${got.record.paid.amountFen} ≠ ${debit.amount}`,
        );
      return { ...debit, paid: got.record.paid };
    },

    async bind(_t, debit, tradeId, x) {
      if (!debit.paid || !(await o.worker.bindRecord(debit.paid.outTradeNo, tradeId, x)))
        throw new StationError('STN_ERR_PAY_NOT_SUCCEEDED', 'the captured payment is already recorded');
    },

    verifyProof() {},

    digest(txnId, c) {
      const proof = [txnId, c.tradeId, c.cardWrite, c.reason ?? null, ...(c.cardError ? [c.cardError] : [])];
      return hash('sha256', JSON.stringify(['qr', ...proof]), 'hex');
    },

    recordFields: (_read, debit) => ({ payType: nationalPayTypeOf(debit.paid?.channel ?? debit.channel) }),

    // "Not paid" is the platform's word, not the collector's: only when every attempt ended without money.
    async verifyNotDebited(debit, _proof, x) {
      if (await o.worker.inFlight(debit.txnId, x)) throw new StationError('STN_ERR_PAY_IN_FLIGHT');
      if (await o.worker.captured(debit.txnId, x)) throw new StationError('STN_ERR_PAY_ALREADY_PAID');
    },
  };
}
