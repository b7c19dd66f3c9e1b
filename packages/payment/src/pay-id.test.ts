import { describe, expect, it } from 'vitest';
import {
  MAX_ATTEMPT,
  mintPayId,
  OUT_TRADE_NO_MAX,
  outTradeNo,
  PAY_ID_LENGTH,
  parseOutTradeNo,
  parsePayId,
  REFUND_NO_MAX,
  refundNo,
} from './pay-id';
import { TEST_EXIT_TRADE_ID, TEST_LANE_HEX } from './testing/harness';

describe('pay ID', () => {
  it('is TP + lane HEX + the exit trade ID batch and serial, 28 characters, the same for the same exit', () => {
    const a = mintPayId({ laneHex: TEST_LANE_HEX, exitTradeId: TEST_EXIT_TRADE_ID });
    const b = mintPayId({ laneHex: TEST_LANE_HEX, exitTradeId: TEST_EXIT_TRADE_ID });
    expect(a).toEqual({ ok: true, value: 'TP370124435B2024011715322746' });
    expect(b).toEqual(a);
    if (a.ok) expect(a.value).toHaveLength(PAY_ID_LENGTH);
  });

  it('parses back to the lane, the batch and the serial of its exit', () => {
    expect(parsePayId('TP370124435B2024011715322746')).toEqual({
      ok: true,
      value: {
        payId: 'TP370124435B2024011715322746',
        laneHex: '370124435B',
        batch: '2024011715',
        serial: 322746,
      },
    });
  });

  it('refuses a bad lane HEX or exit trade ID with PAY_ID_INVALID', () => {
    const lane = mintPayId({ laneHex: '37012443', exitTradeId: TEST_EXIT_TRADE_ID });
    const trade = mintPayId({ laneHex: TEST_LANE_HEX, exitTradeId: TEST_EXIT_TRADE_ID.slice(1) });
    expect(lane.ok || lane.error.code).toBe('PAY_ID_INVALID');
    expect(trade.ok || trade.error.code).toBe('PAY_ID_INVALID');
    expect(parsePayId('TP370124435B20240117').ok).toBe(false);
  });

  it('out-trade-no is <payId>-<n>, within 32 characters up to the last attempt, and parses back', () => {
    const payId = 'TP370124435B2024011715322746';
    const last = outTradeNo(payId, MAX_ATTEMPT);
    expect(last.ok && last.value.length).toBeLessThanOrEqual(OUT_TRADE_NO_MAX);
    expect(outTradeNo(payId, 1)).toEqual({ ok: true, value: `${payId}-1` });
    expect(parseOutTradeNo(`${payId}-12`)).toEqual({ ok: true, value: { payId, attempt: 12 } });
    expect(parseOutTradeNo(`${payId}-0`).ok).toBe(false);
    expect(parseOutTradeNo(`${payId}-100`).ok).toBe(false);
  });

  it('refuses attempt numbers outside 1..MAX_ATTEMPT', () => {
    const payId = 'TP370124435B2024011715322746';
    for (const n of [0, MAX_ATTEMPT + 1, 1.5]) {
      const r = outTradeNo(payId, n);
      expect(r.ok || r.error.code).toBe('PAY_ATTEMPTS_EXHAUSTED');
    }
  });

  it('refund numbers are <outTradeNo>R<n>, bounded, for our out-trade-nos only', () => {
    const no = 'TP370124435B2024011715322746-99';
    expect(refundNo(no, 50)).toEqual({ ok: true, value: `${no}R50` });
    const r = refundNo(no, 50);
    expect(r.ok && r.value.length).toBeLessThanOrEqual(REFUND_NO_MAX);
    expect(refundNo(no, 0).ok).toBe(false);
    expect(refundNo('TEST-1', 1).ok).toBe(false);
  });
});
