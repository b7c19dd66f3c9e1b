import { describe, expect, it } from 'vitest';
import type { DebitResult } from '../api/types';
import { exitAllowed } from './phase';
import { pricedTxn, TEST_FEE } from './testing';

const result: DebitResult = {
  tac: '0A1B2C3D',
  amount: 12_955,
  balanceAfter: 37_045,
  tradeId: null,
  recovered: false,
};

describe('what the exit screen allows', () => {
  it('prices only after the image data went in, and submits only a payable, authorised fee', () => {
    expect(exitAllowed('idle', pricedTxn({ fee: null }), false, null)).toMatchObject({
      canPrice: false,
      canSubmit: false,
    });
    expect(exitAllowed('idle', pricedTxn({ fee: null }), true, null)).toMatchObject({
      canPrice: true,
      canSubmit: false,
    });
    expect(exitAllowed('idle', pricedTxn(), true, null).canSubmit).toBe(true);
    expect(
      exitAllowed('idle', pricedTxn({ fee: { ...TEST_FEE, etcPayable: false, payable: false } }), true, null)
        .canSubmit,
    ).toBe(false);
    for (const status of ['required', 'refused'] as const) {
      const t = pricedTxn({ auth: { status, by: null, reason: null } });
      expect(exitAllowed('idle', t, true, null).canSubmit).toBe(false);
    }
    const approved = pricedTxn({ auth: { status: 'approved', by: 'monitor1', reason: null } });
    expect(exitAllowed('idle', approved, true, null).canSubmit).toBe(true);
  });

  it('locks everything while a step runs, and the inputs once the vehicle is done', () => {
    for (const phase of ['reading', 'uploading', 'pricing', 'waiting-auth', 'debiting', 'torn'] as const) {
      expect(exitAllowed(phase, pricedTxn(), true, null)).toMatchObject({
        busy: true,
        locked: true,
        canPrice: false,
        canSubmit: false,
      });
    }
    expect(exitAllowed('done', pricedTxn(), true, result)).toMatchObject({
      busy: false,
      locked: true,
      canPrice: false,
      canSubmit: false,
    });
    expect(exitAllowed('idle', null, false, null)).toMatchObject({
      busy: false,
      locked: false,
      canPrice: false,
    });
  });

  it('once the payment was announced (debit_pending) nothing the fee rests on can change', () => {
    for (const state of ['debit_pending', 'committed'] as const) {
      expect(exitAllowed('idle', pricedTxn({ state }), true, null)).toMatchObject({
        busy: false,
        locked: true,
        canPrice: false,
        canSubmit: false,
      });
    }
  });

  it('shows the card write under way only while debiting, recovering or settling', () => {
    const writing = (['debiting', 'recovering', 'settling', 'torn', 'idle', 'done'] as const).map(
      (p) => exitAllowed(p, pricedTxn(), true, null).writing,
    );
    expect(writing).toEqual([true, true, true, false, false, false]);
  });
});
