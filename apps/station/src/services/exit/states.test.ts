import type { Fen } from '@tollpad/domain';
import { describe, expect, it } from 'vitest';
import { testExitTxnRow } from '../../testing/exit-txn-row';
import type { FeeJson } from '../json-columns';
import {
  refusalChargesMinimum,
  requireAuthorisedForPayment,
  requireAwaitingAuthorisation,
  requireState,
  STEP,
} from './states';

const code = (f: () => void): string | undefined => {
  try {
    f();
    return undefined;
  } catch (e) {
    return (e as { code?: string }).code;
  }
};

// TEST fee column: only the fields the guards read matter.
const fee = (reasons: string[], ifRefused: boolean): FeeJson =>
  ({
    authReasons: reasons.map((c) => ({ code: c, text: 'TEST' })),
    decision: ifRefused
      ? { ifRefused: { payFee: 1 as Fen, discountFee: 0 as Fen, fee: 1 as Fen, exitFeeType: 6 } }
      : {},
  }) as unknown as FeeJson;

describe('the exit transaction’s moves', () => {
  it('lets a new photo or a cancel start only before the payment is announced', () => {
    for (const s of ['read', 'imaged', 'priced'])
      expect(code(() => requireState(testExitTxnRow('t', { state: s }), STEP.image.from))).toBeUndefined();
    expect(code(() => requireState(testExitTxnRow('t', { state: 'debit_pending' }), STEP.cancel.from))).toBe(
      'STN_ERR_EXIT_BAD_STATE',
    );
    expect(code(() => requireState(testExitTxnRow('t', { state: 'cancelled' }), STEP.fee.from))).toBe(
      'STN_ERR_EXIT_CANCELLED',
    );
  });

  it('leads every step from where it may start to one state', () => {
    expect(STEP.announce).toEqual({ from: ['priced'], to: 'debit_pending' });
    expect(STEP.commit).toEqual({ from: ['debit_pending'], to: 'committed' });
    expect(STEP.notDebited).toEqual({ from: ['debit_pending'], to: 'priced' });
  });

  it('lets a monitor decide only a priced transaction waiting for it', () => {
    const priced = testExitTxnRow('t', { state: 'priced', auth_status: 'required', fee_json: '{}' });
    expect(code(() => requireAwaitingAuthorisation(priced))).toBeUndefined();
    expect(code(() => requireAwaitingAuthorisation({ ...priced, auth_status: 'approved' }))).toBe(
      'STN_ERR_EXIT_BAD_STATE',
    );
    expect(code(() => requireAwaitingAuthorisation({ ...priced, state: 'imaged' }))).toBe(
      'STN_ERR_EXIT_BAD_STATE',
    );
  });

  it('holds the payment while an authorisation is pending or refused without a fallback charge', () => {
    const t = (auth_status: string) =>
      testExitTxnRow('t', { state: 'priced', auth_status, auth_reason: 'TEST' });
    expect(code(() => requireAuthorisedForPayment(t('required'), fee(['MIN_FEE'], false)))).toBe(
      'STN_ERR_EXIT_AUTH_PENDING',
    );
    expect(code(() => requireAuthorisedForPayment(t('refused'), fee(['MIN_FEE'], false)))).toBe(
      'STN_ERR_EXIT_AUTH_REFUSED',
    );
    expect(code(() => requireAuthorisedForPayment(t('refused'), fee(['OVER_BAND'], true)))).toBeUndefined();
    expect(code(() => requireAuthorisedForPayment(t('approved'), fee(['MIN_FEE'], false)))).toBeUndefined();
    expect(refusalChargesMinimum(fee(['OVER_BAND', 'MIN_FEE'], true))).toBe(false);
    expect(refusalChargesMinimum(fee(['OVER_BAND'], false))).toBe(false);
  });
});
