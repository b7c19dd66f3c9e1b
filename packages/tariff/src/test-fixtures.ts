import { CLASS_CODES } from './classes';
import type { CpcFeeBlockFacts, CpcFeeFacts } from './decision/types';

/** Small hand-written tariffs for tests — TEST data (province 37, route G9999 does not exist). */
export const T_SECTION = 'G9999370010';
export const stationId = (n: number) => `${T_SECTION}${String(n).padStart(2, '0')}0`;
export const intervalId = (n: number, dir: 1 | 2 = 1) => `${T_SECTION}${String(n).padStart(3, '0')}${dir}0`;

export function feesFor(class1: number): Record<string, number> {
  const fees: Record<string, number> = {};
  for (const c of CLASS_CODES) fees[String(c)] = class1 * (c === 1 || c === 11 || c === 21 ? 1 : 2);
  return fees;
}

export const HEADER = JSON.stringify({
  type: 'header',
  format: 'tollpad-tariff',
  formatVersion: 1,
  version: '99000001',
  province: '37',
  etcDiscount: [95, 100],
  label: 'TEST DATA',
});

export const station = (n: number) =>
  JSON.stringify({
    type: 'station',
    id: stationId(n),
    hex: `37FF00${String(n).padStart(2, '0')}`,
    name: `测试站${n}`,
  });

export const interval = (
  n: number,
  from: string,
  to: string,
  lengthM: number,
  class1Fee: number,
  dir: 1 | 2 = 1,
) =>
  JSON.stringify({ type: 'interval', id: intervalId(n, dir), from, to, lengthM, fees: feesFor(class1Fee) });

export const gantry = (n: number, dir: 1 | 2, hex: string, border = false) =>
  JSON.stringify({
    type: 'gantry',
    id: `${intervalId(n, dir)}010`,
    hex,
    interval: intervalId(n, dir),
    ...(border ? { border: true } : {}),
  });

/**
 * A line of 4 stations 1—2—3—4 both ways, plus a costly direct bypass 1→4 and an isolated station 5:
 *   1→2 10 km 450, 2→3 10 km 450, 3→4 10 km 451, 1→4 (bypass) 25 km 2000; reverse edges mirror.
 * Gantry A00012 (2→1) is marked a province-border gantry (省界门架) for the CPC checks.
 */
export function smallTariff(): string {
  const s = stationId;
  return [
    '# TEST DATA',
    HEADER,
    station(1),
    station(2),
    station(3),
    station(4),
    station(5),
    interval(1, s(1), s(2), 10000, 450, 1),
    interval(1, s(2), s(1), 10000, 450, 2),
    interval(2, s(2), s(3), 10000, 450, 1),
    interval(2, s(3), s(2), 10000, 450, 2),
    interval(3, s(3), s(4), 10000, 451, 1),
    interval(3, s(4), s(3), 10000, 451, 2),
    interval(4, s(1), s(4), 25000, 2000, 1),
    gantry(1, 1, 'A00011'),
    gantry(2, 1, 'A00021'),
    gantry(3, 1, 'A00031'),
    gantry(4, 1, 'A00041'),
    gantry(1, 2, 'A00012', true),
    gantry(2, 2, 'A00022'),
    gantry(3, 2, 'A00032'),
  ].join('\n');
}

/**
 * A TEST CPC for the small tariff (entry station 1, exit station 3, class 1, M = 900): two provinces,
 * block 1 from a neighbour province ending at its border gantry 6C012F (give it in the policy's
 * `cpcBorderGantries`), block 2 local (A00011 → A00021). A = 400 + 530 = 930.
 */
export const CPC_ENTRY = new Date('2024-01-17T05:00:00Z');
export const CPC_EXIT = new Date('2024-01-17T07:23:08Z');
export const CPC_NEIGHBOUR_BORDER = '6C012F';
const minutes = (n: number) => new Date(CPC_ENTRY.getTime() + n * 60_000);

export function cpcBlock(patch: Partial<CpcFeeBlockFacts> = {}, second = false): CpcFeeBlockFacts {
  const base: CpcFeeBlockFacts = second
    ? {
        province: 0x37,
        gantryCount: 2,
        fee: 530,
        mileageM: 12_000,
        entryGantry: 'A00011',
        entryTime: minutes(50),
        latestGantry: 'A00021',
        latestTime: minutes(80),
        fitFailed: false,
        empty: false,
      }
    : {
        province: 0x36,
        gantryCount: 2,
        fee: 400,
        mileageM: 9_000,
        entryGantry: '6C0110',
        entryTime: minutes(10),
        latestGantry: CPC_NEIGHBOUR_BORDER,
        latestTime: minutes(40),
        fitFailed: false,
        empty: false,
      };
  return { ...base, ...patch };
}

export function cpcFacts(patch: Partial<CpcFeeFacts> = {}): CpcFeeFacts {
  return {
    provinceCount: 2,
    blocks: [cpcBlock(), cpcBlock({}, true)],
    pathGantries: ['A00011', 'A00021'],
    entryTime: CPC_ENTRY,
    ...patch,
  };
}
