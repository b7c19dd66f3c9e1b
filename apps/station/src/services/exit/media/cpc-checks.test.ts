import { SPECIAL } from '@tollpad/domain';
import { describe, expect, it } from 'vitest';
import { TEST_CPC_AREA, type TestCpcSpec, testCpcRead } from '../../../testing/test-cpc';
import { TEST_NETWORK, TEST_WORLD, testReference } from '../../../testing/world';
import { type CpcCheckOptions, checkCpc, decodeCpc, usableEntry } from './cpc-checks';

// TEST CPCs written by the card package's synthetic entry and gantry writers.
const EXIT = new Date('2026-11-23T08:00:00.000Z');
const spec = (over: Partial<TestCpcSpec> = {}): TestCpcSpec => ({
  cpcId: '3700FFFF00000001',
  entryTime: new Date(EXIT.getTime() - 7200_000),
  gantries: [{ hex: '000001', time: new Date(EXIT.getTime() - 3600_000), fee: 1000 }],
  ...over,
});
const opts: CpcCheckOptions = { validAreas: [TEST_CPC_AREA], timeBase: 'utc' };
const lists = testReference({
  vehicle: { version: 'TEST-VEH-1', entries: [{ key: '鲁A99999_0', type: 1, reason: '追缴 (TEST)' }] },
}).lists;
const ctx = { network: TEST_NETWORK, lists };
const codesOf = (s: TestCpcSpec, o = opts) =>
  checkCpc(decodeCpc(testCpcRead(s), o), ctx, o).specials.map((n) => n.code);

describe('the CPC exit checks (cpc-card.md §5.1)', () => {
  it('find nothing on a card entered at a known station, from a valid area, with battery', () => {
    expect(codesOf(spec())).toEqual([]);
    const card = decodeCpc(testCpcRead(spec()), opts);
    expect(usableEntry(card, TEST_NETWORK)?.station).toBe(TEST_WORLD.entryStationHex);
  });

  it('note a low battery (33) without refusing the card', () => {
    expect(codesOf(spec({ batteryPercent: 9, batteryLow: true }))).toEqual([SPECIAL.CPC_BATTERY_LOW]);
  });

  it('note an issuer area that is not configured as valid (38), and accept any area when none is', () => {
    expect(codesOf(spec({ area: 'B8CACBE0' }))).toEqual([SPECIAL.CPC_ISSUER_AREA_INVALID]);
    expect(codesOf(spec({ area: 'B8CACBE0' }), { ...opts, validAreas: [] })).toEqual([]);
  });

  it('note an entry station the tariff does not know (37), whose entry the fee then does not use', () => {
    const s = spec({ entryStation: '3799FFFF' });
    expect(codesOf(s)).toEqual([SPECIAL.CPC_ENTRY_STATION_INVALID]);
    expect(usableEntry(decodeCpc(testCpcRead(s), opts), TEST_NETWORK)).toBeNull();
  });

  it('note a card with no live entry (26), not its station', () => {
    expect(codesOf(spec({ noEntry: true, gantries: [] }))).toEqual([SPECIAL.CARD_ENTRY_INVALID]);
  });

  it('look the entry plate up on the vehicle chase list (118), with the list version that answered', () => {
    const checks = checkCpc(decodeCpc(testCpcRead(spec({ plate: '鲁A99999' })), opts), ctx, opts);
    expect(checks.specials.map((n) => n.code)).toEqual([SPECIAL.VEHICLE_ON_CHASE_LIST]);
    expect(checks.listHits).toEqual([expect.objectContaining({ list: 'vehicle', version: 'TEST-VEH-1' })]);
  });

  it('suggest the class the entry wrote', () => {
    const checks = checkCpc(decodeCpc(testCpcRead(spec({ vehicleClass: 2 })), opts), ctx, opts);
    expect(checks.suggested.vehicleClass).toBe(2);
    expect(checks.blocked).toBe(false);
  });
});
