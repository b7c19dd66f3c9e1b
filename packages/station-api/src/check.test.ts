import { describe, expect, it } from 'vitest';
import { isWire } from './check';
import { ErrorSchema, STATION_ERROR_CODES } from './errors';
import { CommitBody, ExitSchema } from './exits';
import { TEST_EXIT_READ as READ, TEST_COMMIT } from './testing';

describe('the wire contract', () => {
  it('takes a transaction of the contract’s shape and refuses one in an unknown state or missing a part', () => {
    expect(isWire(ExitSchema, READ)).toBe(true);
    expect(isWire(ExitSchema, { ...READ, state: 'flying' })).toBe(false);
    const { checks: _, ...noChecks } = READ;
    expect(isWire(ExitSchema, noChecks)).toBe(false);
  });

  it('refuses a commit whose proof is malformed (the station answers it with STN_ERR_REQ_INVALID)', () => {
    expect(isWire(CommitBody, TEST_COMMIT)).toBe(true);
    expect(isWire(CommitBody, { ...TEST_COMMIT, tac: 'XYZ' })).toBe(false);
    expect(isWire(CommitBody, { ...TEST_COMMIT, algorithm: 3 })).toBe(false);
  });

  it('names each error code once, and an error body carries one of them', () => {
    expect(new Set(STATION_ERROR_CODES).size).toBe(STATION_ERROR_CODES.length);
    const body = { statusCode: 409, code: 'STN_ERR_SHIFT_NOT_OPEN', error: 'Conflict', message: '请先开班' };
    expect(isWire(ErrorSchema, body)).toBe(true);
    expect(isWire(ErrorSchema, { ...body, code: 'STN_ERR_NO_SUCH_THING' })).toBe(false);
  });
});
