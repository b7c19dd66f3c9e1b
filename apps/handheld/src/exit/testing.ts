import type { PendingEntry, PurchaseOutcome } from '@tollpad/card';
import type { PaymentStatus } from '@tollpad/station-api';
import type { ExitTxn, Fee } from '../api/types';
import type { PendingDebit } from '../journal/idb-journal';

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
  payable: true,
  payment: 'etc-debit',
  notPayableReason: null,
  trace: [],
};

/** TEST data: a training card's transaction, priced with TEST_FEE and needing no authorisation. */
export function pricedTxn(patch: Partial<ExitTxn> = {}): ExitTxn {
  return {
    id: 'txn-1',
    state: 'priced',
    medium: 'etc',
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
    debitPayment: null,
    ...patch,
  };
}

/** TEST data: the trade ID the station allocated for pricedTxn's debit. */
export const TEST_TRADE_ID = 'G90013700100202010010202611231600000001';

/** TEST data: the card package's journal entry of pricedTxn's debit (TEST card, TEST PSAM). */
export const TEST_ENTRY = {
  id: '99010000000009000001:3:7',
  cardNumber: '99010000000009000001',
  atc: 3,
  amount: 12_955,
  terminalId: '0151000119F8',
  terminalSerial: 7,
  datetime: '20261123160000',
  algorithm: 'sm4',
  ef0019: 'AA29',
  balanceBefore: 50_000,
} as unknown as PendingEntry;

/** TEST data: the card's outcome of that debit, as the purchase or a recovery (PROVE) gives it. */
export const outcome = (recovered: boolean) =>
  ({
    cardNumber: TEST_ENTRY.cardNumber,
    amount: 12_955,
    atcBefore: 3,
    terminalId: '0151000119F8',
    terminalSerial: 7,
    datetime: '20261123160000',
    algorithm: 'sm4',
    tac: '0A1B2C3D',
    mac2: '00000000',
    balanceAfter: 37_045,
    ef0019: 'AA29',
    recovered,
    mac2Verified: !recovered,
  }) as unknown as PurchaseOutcome;

/** TEST data: the journal's pending debit of pricedTxn; no outcome yet means the card may have been debited. */
export const pending = (
  o: PendingDebit['outcome'] | undefined,
  tradeId: string | null = TEST_TRADE_ID,
): PendingDebit => ({
  txnId: 'txn-1',
  laneId: 'G90013700100202010010',
  cardNo: TEST_ENTRY.cardNumber,
  tradeId,
  entry: TEST_ENTRY,
  phase: o ? 'resolved' : 'intent',
  ...(o ? { outcome: o } : {}),
  updatedAt: '2026-11-23T08:00:00.000Z',
});

/** A station payment status (station-api payments.ts) as the long poll answers it; TEST pay ID. */
export function paymentStatus(over: Partial<PaymentStatus> = {}): PaymentStatus {
  return {
    payId: 'TEST-PAY-1',
    method: 'qr',
    mode: 'code',
    channel: 'WECHAT',
    attempt: 1,
    outTradeNo: 'TEST-PAY-1-1',
    amount: 7_000,
    phase: 'submitted',
    final: false,
    pending: false,
    message: '',
    codeUrl: null,
    reason: null,
    cash: null,
    platformOrderNo: null,
    version: 1,
    updatedAt: '2026-12-06T12:00:00.000Z',
    ...over,
  };
}
