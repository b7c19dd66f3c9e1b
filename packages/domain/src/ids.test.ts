import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatExitTradeId,
  formatPassId,
  isLaneHex,
  isStationHex,
  parseExitTradeId,
  parseGantryId,
  parseIntervalId,
  parseLaneId,
  parsePassId,
  parsePlazaId,
  parseStationId,
  stationIdOf,
} from './ids';
import { beijingCompact } from './time';

// The real Shandong exit record (business-rules.md §6, HL record, 2024-01-17).
const LANE = 'G00223700100302010910';
const TRADE = 'G002237001003020109102024011715322746';
const PASS = `01${'3701'}${'2204232353169389'}${'20240117122342'}`;

describe('the Shandong record IDs', () => {
  it('parses the lane into its parts', () => {
    const r = parseLaneId(LANE);
    expect(r).toEqual({
      ok: true,
      value: {
        sectionId: 'G0022370010',
        route: 'G0022',
        province: '37',
        sectionSeq: '001',
        stationId: 'G0022370010030',
        stationSeq: '03',
        plazaId: 'G00223700100302010',
        plazaType: '2',
        plazaSeq: '01',
        laneId: LANE,
        laneSeq: '91',
      },
    });
    expect(stationIdOf(LANE)).toBe('G0022370010030');
    expect(parsePlazaId('G00223700100302010').ok).toBe(true);
    expect(parseStationId('G0022370010030').ok).toBe(true);
  });
  it('trade ID parses and formats back byte-identical', () => {
    const r = parseExitTradeId(TRADE);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toMatchObject({ laneId: LANE, batch: '2024011715', serial: 322746 });
    expect(formatExitTradeId(r.value)).toBe(TRADE);
  });
  it('PassID parses and formats back byte-identical', () => {
    expect(PASS).toBe('013701220423235316938920240117122342');
    const r = parsePassId(PASS);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toMatchObject({ media: 'card', cardNetwork: '3701', cardNo: '2204232353169389' });
    expect(formatPassId(r.value)).toBe(PASS);
  });
  it('hex forms', () => {
    expect(isStationHex('37012443')).toBe(true);
    expect(isLaneHex('370124435B')).toBe(true);
    expect(isStationHex('3701244')).toBe(false);
    expect(isLaneHex('370124435G')).toBe(false);
  });
  it('interval and gantry IDs', () => {
    expect(parseIntervalId('G001532003001520')).toMatchObject({
      ok: true,
      value: { direction: 2, intervalSeq: '015' },
    });
    expect(parseGantryId('G001532003001520010')).toMatchObject({ ok: true, value: { gantrySeq: '01' } });
  });
});

describe('ID parsers name the field and the reason', () => {
  it.each([
    ['G0022370010309101', /应为21位，实为17位/],
    ['G002237001003020109101', /应为21位/],
    ['G00223700100302010911', /末位应为0/],
    ['X00223700100302010910', /格式不符/],
  ])('lane %s', (text, reason) => {
    const r = parseLaneId(text, 'exTollLaneId');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.field).toBe('exTollLaneId');
      expect(r.error.reason).toMatch(reason);
      expect(r.error.code).toBe('ID_INVALID');
    }
  });
  it.each([
    [`${LANE}2024011715`, /37位/],
    [`${LANE}202401171532274X`, /流水号/],
    [`${LANE}2024023015322746`, /不存在的日期时间/],
  ])('trade ID %s', (text, reason) => {
    const r = parseExitTradeId(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.reason).toMatch(reason);
  });
  it.each(['01370122042323531693892024011712234', '99', '0137012204232353169389202401171223XX', ''])(
    'PassID %j',
    (text) => {
      expect(parsePassId(text).ok).toBe(false);
    },
  );
});

describe('round trips', () => {
  const digits = (n: number) => fc.stringMatching(new RegExp(`^\\d{${n}}$`));
  const hex16 = fc.stringMatching(/^[0-9A-F]{16}$/);
  const time = fc.date({ min: new Date('2000-01-01'), max: new Date('2099-01-01'), noInvalidDate: true });
  it('every PassID media formats and parses back', () => {
    fc.assert(
      fc.property(digits(4), digits(16), hex16, time, (net, card, h, t) => {
        const whole = new Date(Math.floor(t.getTime() / 1000) * 1000);
        for (const id of [
          { media: 'card', cardNetwork: net, cardNo: card, entryTime: whole },
          { media: 'obu', obuSerial: h, entryTime: whole },
          { media: 'cpc', cpcId: h, entryTime: whole },
          { media: 'none', exitLaneId: LANE, exitTime: whole },
          { media: 'paper', ticketNo: h, exitTime: whole },
          { media: 'm1', m1Id: h, entryTime: whole },
        ] as const) {
          const text = formatPassId(id);
          expect(parsePassId(text)).toEqual({ ok: true, value: id });
        }
      }),
    );
  });
  it('trade IDs', () => {
    fc.assert(
      fc.property(time, fc.integer({ min: 0, max: 999_999 }), (t, serial) => {
        const batch = beijingCompact(t).slice(0, 10);
        const text = formatExitTradeId({ laneId: LANE, batch, serial });
        expect(text).toHaveLength(37);
        expect(parseExitTradeId(text)).toMatchObject({ ok: true, value: { laneId: LANE, batch, serial } });
      }),
    );
  });
});
