import type { ExitTxn, Fee } from '../api/types';

/** TEST data for the exit's unit tests: the fee of a training car, in fen. */
export const TEST_FEE: Fee = {
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

/** TEST data: a training card's transaction, priced with TEST_FEE and needing no authorisation. */
export function pricedTxn(patch: Partial<ExitTxn> = {}): ExitTxn {
  return {
    id: 'txn-1',
    state: 'priced',
    laneId: 'G90013700100202010010',
    cardNo: '99010000000009000001',
    checks: [],
    blocked: false,
    actions: [],
    suggested: { vehicleClass: 1, vehicleKind: 0 },
    plate: '鲁A12345',
    plateColour: 0,
    vehicleClass: 1,
    vehicleKind: 0,
    fee: TEST_FEE,
    auth: { status: 'none', by: null, reason: null },
    tradeId: null,
    ...patch,
  };
}
