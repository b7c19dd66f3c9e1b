import { type ExitState, PRE_DEBIT_STATES } from '@tollpad/station-api';
import type { ExitTxnRow } from '../../db/schema';
import { StationError } from '../../errors';
import type { FeeJson } from '../json-columns';

// The states themselves (read → imaged → priced → debit_pending → committed, or cancelled) and the
// authorisation's statuses are the wire contract's: @tollpad/station-api exits.ts.

/** Before the payment is announced: the only states a new photo or a cancel may start from. */
const PRE_DEBIT: readonly ExitState[] = PRE_DEBIT_STATES;

/**
 * Every step that moves a transaction: the states it may start from and the state it leaves. Each step
 * applies its move as a compare-and-set on `from` (ExitsRepository.transition), so two racing requests
 * cannot both move one transaction.
 */
export const STEP = {
  /** 【提交图片数据】: a new photo voids any fee. */
  image: { from: PRE_DEBIT, to: 'imaged' },
  /** 【算费】, again as often as the collector changes class or kind. */
  fee: { from: ['imaged', 'priced'], to: 'priced' },
  /** 班长授权: decides the authorisation, the state stays. */
  authorise: { from: ['priced'], to: 'priced' },
  /** The payment announced just before the money moves; allocates the trade ID. */
  announce: { from: ['priced'], to: 'debit_pending' },
  /** The same payment announced again by a retried attempt. */
  reannounce: { from: ['debit_pending'], to: 'debit_pending' },
  /** 【提交数据】 (or recovery from a proof of payment): the record is written with this move. */
  commit: { from: ['debit_pending'], to: 'committed' },
  /** Recovery from a proof that no payment happened: priced again, the trade ID void. */
  notDebited: { from: ['debit_pending'], to: 'priced' },
  cancel: { from: PRE_DEBIT, to: 'cancelled' },
} as const satisfies Record<string, { from: readonly ExitState[]; to: ExitState }>;

/** Refuses a step the transaction's state does not allow (a cancelled one says so). */
export function requireState(t: ExitTxnRow, allowed: readonly ExitState[]): void {
  if (t.state === 'cancelled') throw new StationError('STN_ERR_EXIT_CANCELLED');
  if (!allowed.includes(t.state as ExitState)) throw new StationError('STN_ERR_EXIT_BAD_STATE', t.state);
}

/** A monitor may decide only a priced transaction that waits for it. */
export function requireAwaitingAuthorisation(t: ExitTxnRow): asserts t is ExitTxnRow & { fee_json: string } {
  if (t.state !== 'priced' || t.auth_status !== 'required' || !t.fee_json) {
    throw new StationError('STN_ERR_EXIT_BAD_STATE', `${t.state}/${t.auth_status}`);
  }
}

/** Hunan 027: a refused over-band online fee is charged at the minimum fee instead of stopping the exit. */
export function refusalChargesMinimum(fee: Readonly<FeeJson>): boolean {
  return fee.decision.ifRefused !== undefined && fee.authReasons.every((r) => r.code === 'OVER_BAND');
}

/** The payment may be announced only when no authorisation is pending and a refusal still lets it pay. */
export function requireAuthorisedForPayment(t: ExitTxnRow, fee: Readonly<FeeJson>): void {
  if (t.auth_status === 'required') throw new StationError('STN_ERR_EXIT_AUTH_PENDING');
  if (t.auth_status === 'refused' && !refusalChargesMinimum(fee)) {
    throw new StationError('STN_ERR_EXIT_AUTH_REFUSED', t.auth_reason ?? '');
  }
}
