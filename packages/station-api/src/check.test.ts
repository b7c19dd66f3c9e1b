import { describe, expect, it } from 'vitest';
import { isWire } from './check';
import { ErrorSchema, STATION_ERROR_CODES } from './errors';
import { CommitBody, ExitSchema, type ExitTransaction } from './exits';

/** A transaction just opened by 【读卡】 (TEST data). */
const READ: ExitTransaction = {
  id: 'txn-1',
  state: 'read',
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

describe('the wire contract', () => {
  it('takes a transaction of the contract’s shape and refuses one in an unknown state or missing a part', () => {
    expect(isWire(ExitSchema, READ)).toBe(true);
    expect(isWire(ExitSchema, { ...READ, state: 'flying' })).toBe(false);
    const { checks: _, ...noChecks } = READ;
    expect(isWire(ExitSchema, noChecks)).toBe(false);
  });

  it('refuses a commit whose proof is malformed (the station answers it with STN_ERR_REQ_INVALID)', () => {
    const commit = {
      tradeId: `G90013700100202010010${'2026112316000001'}`,
      tac: '0A1B2C3D',
      psamTerminalNo: '0151000119F8',
      terminalTransNo: '00000007',
      cardTransNo: 3,
      preBalance: 50_000,
      postBalance: 37_045,
      algorithm: 2,
    };
    expect(isWire(CommitBody, commit)).toBe(true);
    expect(isWire(CommitBody, { ...commit, tac: 'XYZ' })).toBe(false);
    expect(isWire(CommitBody, { ...commit, algorithm: 3 })).toBe(false);
  });

  it('names each error code once, and an error body carries one of them', () => {
    expect(new Set(STATION_ERROR_CODES).size).toBe(STATION_ERROR_CODES.length);
    const body = { statusCode: 409, code: 'STN_ERR_SHIFT_NOT_OPEN', error: 'Conflict', message: '请先开班' };
    expect(isWire(ErrorSchema, body)).toBe(true);
    expect(isWire(ErrorSchema, { ...body, code: 'STN_ERR_NO_SUCH_THING' })).toBe(false);
  });
});
