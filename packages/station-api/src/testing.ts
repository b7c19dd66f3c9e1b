import type { Commit, ExitTransaction } from './exits';

/** TEST data: a transaction as 【读卡】 opens it: no photo, no fee, nothing to authorise. */
export const TEST_EXIT_READ: ExitTransaction = {
  id: 'txn-1',
  state: 'read',
  medium: 'etc',
  laneId: 'G90013700100202010010',
  terminalId: 'HH-TEST-01',
  shiftId: 's-1',
  cardId: '99010000000000000666',
  card: {},
  checks: {
    specials: [],
    imageSpecials: [],
    listHits: [],
    suggested: { vehicleClass: 1, vehicleKind: 0 },
    actions: [],
    blocked: false,
    needsRelease: false,
  },
  image: null,
  fee: null,
  authorisation: { status: 'none', reasons: [], by: null, reason: null, at: null },
  tradeId: null,
  debit: null,
  cancelReason: null,
  createdAt: '2026-11-23T08:00:00.000Z',
  updatedAt: '2026-11-23T08:00:00.000Z',
};

/** TEST data: a 3DES card's proof of a 10-yuan debit, for that transaction's lane. */
export const TEST_COMMIT: Commit = {
  tradeId: 'G900137001002020100102026112316000042',
  tac: 'FFEE0011',
  psamTerminalNo: '0151000119F9',
  terminalTransNo: '0000002A',
  cardTransNo: 41,
  preBalance: 1_000,
  postBalance: 0,
  algorithm: 1,
};
