import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkTradeIdForLane, encodePayload, MAX_PAYLOAD_BYTES, parsePayload } from './payloads';
import { CHANNELS, type Channel } from './topics';

// TEST data: synthetic lanes and trade IDs.
const LANE = 'G00223700100302010910';
const TRADE = 'G002237001003020109102024011715322746';
const OTHER_LANE_TRADE = 'G002237001003020109202024011715000001';
const AT = '2024-01-17T07:30:00.000Z';

const GOOD: Record<Channel, unknown[]> = {
  display: [
    {
      v: 1,
      at: AT,
      kind: 'fee',
      plate: '鲁A12345',
      plateColour: 0,
      amountFen: 8810,
      balanceFen: -25876,
      message: '一路顺风',
      tradeId: TRADE,
    },
    { v: 1, at: AT, kind: 'fee', plate: '鲁AD12345', plateColour: 4, amountFen: 0, message: '' },
    { v: 1, at: AT, kind: 'notice', message: '请稍候' },
    { v: 1, at: AT, kind: 'clear' },
  ],
  'barrier/command': [
    { v: 1, at: AT, commandId: 'c-1', action: 'open', tradeId: TRADE },
    { v: 1, at: AT, commandId: 'c-2', action: 'close', reason: '人工落杆' },
    { v: 1, at: AT, commandId: 'c-3', action: 'reset', reason: '已检修' },
  ],
  'barrier/result': [
    { v: 1, at: AT, commandId: 'c-1', action: 'open', tradeId: TRADE, outcome: 'accepted', state: 'OPENING' },
    {
      v: 1,
      at: AT,
      commandId: 'c-1',
      action: 'open',
      outcome: 'refused',
      code: 'TRADE_ID_OTHER_LANE',
      reason: '非本车道交易',
      state: 'CLOSED',
    },
  ],
  'barrier/state': [
    { v: 1, at: AT, state: 'OPEN', tradeId: TRADE },
    { v: 1, at: AT, state: 'FAULT', fault: '电机过流' },
    { v: 1, at: '2024-01-17T15:30:00+08:00', state: 'UNKNOWN' },
  ],
  vehicle: [
    { v: 1, at: AT, detectionId: 'd1', event: 'present' },
    {
      v: 1,
      at: AT,
      detectionId: 'd1',
      event: 'captured',
      plate: '鲁A12345',
      plateColour: 0,
      imageRef: 'img://lane/1.jpg',
      confidence: 97,
    },
    { v: 1, at: AT, detectionId: 'd2', event: 'captured', plate: '默A00000', plateColour: 9, imageRef: 'k1' },
    { v: 1, at: AT, detectionId: 'd1', event: 'passed', tradeId: TRADE },
  ],
  status: [
    { v: 1, at: AT, status: 'online', seq: 0, heartbeatMs: 5000 },
    { v: 1, at: AT, status: 'offline', cause: 'lost' },
  ],
};

/** A fee display for 鲁A12345 with `over` changed. TEST data. */
const fee = (over: Record<string, unknown>) => ({
  v: 1,
  at: AT,
  kind: 'fee',
  plate: '鲁A12345',
  plateColour: 0,
  amountFen: 1,
  message: '',
  ...over,
});

const HOSTILE: [Channel, unknown, string][] = [
  ['display', { v: 2, at: AT, kind: 'clear' }, 'PAYLOAD_INVALID'],
  ['display', { v: 1, at: AT, kind: 'clear', extra: 1 }, 'PAYLOAD_INVALID'],
  ['display', fee({ amountFen: 88.1 }), 'PAYLOAD_INVALID'],
  ['display', fee({ amountFen: -1 }), 'PAYLOAD_INVALID'],
  ['display', fee({ amountFen: '8810' }), 'PAYLOAD_INVALID'],
  ['display', fee({ amountFen: 2 ** 60 }), 'PAYLOAD_INVALID'],
  ['display', fee({ plate: '鲁AI2345' }), 'PLATE_INVALID'],
  ['display', fee({ plate: '默A00000', plateColour: 9 }), 'PLATE_INVALID'],
  ['display', fee({ plate: '鲁a12345' }), 'PLATE_INVALID'],
  ['display', fee({ plateColour: 8 }), 'PAYLOAD_INVALID'],
  ['display', { v: 1, at: AT, kind: 'notice', message: 'x'.repeat(65) }, 'PAYLOAD_INVALID'],
  ['display', { v: 1, at: '2024-13-45T99:99:99Z', kind: 'clear' }, 'PAYLOAD_INVALID'],
  ['display', { v: 1, at: 'yesterday', kind: 'clear' }, 'PAYLOAD_INVALID'],
  ['barrier/command', { v: 1, at: AT, commandId: 'c', action: 'open' }, 'PAYLOAD_INVALID'],
  [
    'barrier/command',
    { v: 1, at: AT, commandId: 'c', action: 'open', tradeId: 'G00223700100302010910202401171532274' },
    'PAYLOAD_INVALID',
  ],
  [
    'barrier/command',
    { v: 1, at: AT, commandId: 'c', action: 'open', tradeId: 'G00223700100302010910202413171532274X' },
    'TRADE_ID_INVALID',
  ],
  [
    'barrier/command',
    { v: 1, at: AT, commandId: 'c/../#', action: 'open', tradeId: TRADE },
    'PAYLOAD_INVALID',
  ],
  ['barrier/command', { v: 1, at: AT, commandId: 'c', action: 'explode' }, 'PAYLOAD_INVALID'],
  ['barrier/state', { v: 1, at: AT, state: 'WARN_CLOSE' }, 'PAYLOAD_INVALID'],
  [
    'vehicle',
    {
      v: 1,
      at: AT,
      detectionId: 'd',
      event: 'captured',
      plate: '鲁A12345',
      plateColour: 0,
      imageRef: 'has space',
    },
    'PAYLOAD_INVALID',
  ],
  [
    'vehicle',
    { v: 1, at: AT, detectionId: 'd', event: 'captured', plate: '鲁A12345', plateColour: 9, imageRef: 'k' },
    'PLATE_INVALID',
  ],
  ['status', { v: 1, at: AT, status: 'online', seq: -1, heartbeatMs: 5000 }, 'PAYLOAD_INVALID'],
  ['status', { v: 1, at: AT, status: 'online', seq: 1, heartbeatMs: 1 }, 'PAYLOAD_INVALID'],
  ['status', null, 'PAYLOAD_INVALID'],
  ['status', [], 'PAYLOAD_INVALID'],
  ['status', 'online', 'PAYLOAD_INVALID'],
];

describe('payload schemas', () => {
  for (const [channel, samples] of Object.entries(GOOD) as [Channel, unknown[]][]) {
    it.each(samples.map((s, i) => [i, s]))(`accepts good ${channel} payload #%i`, (_i, sample) => {
      const bytes = new TextEncoder().encode(JSON.stringify(sample));
      expect(parsePayload(channel, bytes)).toEqual({ ok: true, value: sample });
    });
  }

  it.each(HOSTILE.map(([c, v, code], i) => [i, c, v, code] as const))(
    'rejects hostile payload #%i on %s with %s',
    (_i, channel, value, code) => {
      const r = parsePayload(channel, JSON.stringify(value));
      expect(r).toMatchObject({ ok: false, error: { code } });
      if (!r.ok) expect(r.error.reason.length).toBeGreaterThan(0);
    },
  );

  it('rejects non-JSON, non-UTF-8 and oversized payloads with typed errors', () => {
    expect(parsePayload('status', '{"v":1,')).toMatchObject({
      ok: false,
      error: { code: 'PAYLOAD_NOT_JSON' },
    });
    expect(parsePayload('status', new Uint8Array([0xff, 0xfe, 0x00]))).toMatchObject({
      ok: false,
      error: { code: 'PAYLOAD_NOT_UTF8' },
    });
    const big = new Uint8Array(MAX_PAYLOAD_BYTES + 1).fill(0x20);
    expect(parsePayload('status', big)).toMatchObject({ ok: false, error: { code: 'PAYLOAD_TOO_LARGE' } });
    // A literal __proto__ key must be refused, not merged into the prototype.
    const proto = `{"v":1,"at":"${AT}","commandId":"c","action":"open","tradeId":"${TRADE}","__proto__":{"x":1}}`;
    expect(parsePayload('barrier/command', proto)).toMatchObject({
      ok: false,
      error: { code: 'PAYLOAD_INVALID' },
    });
    const deep = `${'['.repeat(4000)}${']'.repeat(4000)}`;
    expect(parsePayload('status', deep)).toMatchObject({ ok: false, error: { code: 'PAYLOAD_INVALID' } });
  });

  it('never throws on arbitrary bytes or JSON values', () => {
    const channels = Object.keys(CHANNELS) as Channel[];
    fc.assert(
      fc.property(fc.constantFrom(...channels), fc.uint8Array({ maxLength: 300 }), (channel, bytes) => {
        expect(parsePayload(channel, bytes).ok).toBe(false);
      }),
    );
    fc.assert(
      fc.property(fc.constantFrom(...channels), fc.jsonValue(), (channel, value) => {
        const r = parsePayload(channel, JSON.stringify(value) ?? 'null');
        expect(typeof r.ok).toBe('boolean');
      }),
    );
  });

  it('refuses to encode an invalid outgoing payload', () => {
    const bad = { v: 1, at: AT, kind: 'fee', plate: 'x', plateColour: 0, amountFen: 1, message: '' } as const;
    expect(
      encodePayload('display', bad as unknown as Parameters<typeof encodePayload<'display'>>[1]),
    ).toMatchObject({ ok: false, error: { code: 'PLATE_INVALID' } });
    const good = GOOD.display[0] as Parameters<typeof encodePayload<'display'>>[1];
    expect(encodePayload('display', good)).toEqual({ ok: true, value: JSON.stringify(good) });
  });
});

describe('checkTradeIdForLane', () => {
  it('accepts a trade ID of the lane', () => {
    expect(checkTradeIdForLane(TRADE, LANE)).toEqual({ ok: true, value: TRADE });
  });
  it('refuses a trade ID of another lane', () => {
    expect(checkTradeIdForLane(OTHER_LANE_TRADE, LANE)).toMatchObject({
      ok: false,
      error: { code: 'TRADE_ID_OTHER_LANE' },
    });
  });
  it('refuses a malformed trade ID', () => {
    expect(checkTradeIdForLane('G0022370010030201091020240117', LANE)).toMatchObject({
      ok: false,
      error: { code: 'TRADE_ID_INVALID' },
    });
  });
});
