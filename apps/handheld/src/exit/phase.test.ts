import { describe, expect, it } from 'vitest';
import type { DebitResult, ExitTxn, Fee } from '../api/types';
import { exitAllowed } from './phase';

const fee: Fee = {
  amount: 12_955,
  fee: 12_955,
  payFee: 12_955,
  discount: 0,
  exitFeeType: 1,
  specialTypes: [],
  authReasons: [],
  etcPayable: true,
  notPayableReason: null,
};

const priced = (patch: Partial<ExitTxn> = {}): ExitTxn => ({
  id: 'T1',
  state: 'priced',
  laneId: 'L1',
  cardNo: '99010000000009000001',
  checks: [],
  blocked: false,
  actions: [],
  suggested: { vehicleClass: 1, vehicleKind: 0 },
  plate: '鲁A12345',
  plateColour: 0,
  vehicleClass: 1,
  vehicleKind: 0,
  fee,
  auth: { status: 'none', by: null, reason: null },
  tradeId: null,
  ...patch,
});

const result: DebitResult = {
  tac: '0A1B2C3D',
  amount: 12_955,
  balanceAfter: 37_045,
  tradeId: null,
  recovered: false,
};

describe('what the exit screen allows', () => {
  it('prices only after the image data went in, and submits only a payable, authorised fee', () => {
    expect(exitAllowed('idle', priced({ fee: null }), false, null)).toMatchObject({
      canPrice: false,
      canSubmit: false,
    });
    expect(exitAllowed('idle', priced({ fee: null }), true, null)).toMatchObject({
      canPrice: true,
      canSubmit: false,
    });
    expect(exitAllowed('idle', priced(), true, null).canSubmit).toBe(true);
    expect(exitAllowed('idle', priced({ fee: { ...fee, etcPayable: false } }), true, null).canSubmit).toBe(
      false,
    );
    for (const status of ['required', 'refused'] as const) {
      const t = priced({ auth: { status, by: null, reason: null } });
      expect(exitAllowed('idle', t, true, null).canSubmit).toBe(false);
    }
    const approved = priced({ auth: { status: 'approved', by: 'monitor1', reason: null } });
    expect(exitAllowed('idle', approved, true, null).canSubmit).toBe(true);
  });

  it('locks everything while a step runs, and the inputs once the vehicle is done', () => {
    for (const phase of ['reading', 'uploading', 'pricing', 'waiting-auth', 'debiting', 'torn'] as const) {
      expect(exitAllowed(phase, priced(), true, null)).toMatchObject({
        busy: true,
        locked: true,
        canPrice: false,
        canSubmit: false,
      });
    }
    expect(exitAllowed('done', priced(), true, result)).toMatchObject({
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

  it('shows the card write under way only while debiting, recovering or settling', () => {
    const writing = (['debiting', 'recovering', 'settling', 'torn', 'idle', 'done'] as const).map(
      (p) => exitAllowed(p, priced(), true, null).writing,
    );
    expect(writing).toEqual([true, true, true, false, false, false]);
  });
});
