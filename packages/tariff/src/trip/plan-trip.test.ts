import { describe, expect, it } from 'vitest';
import { classIndex } from '../classes';
import { generateProvince } from '../generate';
import { buildMinFeeTables, minFeeAt, minFeePath, stationIndexOf } from '../min-fee';
import { compileNetwork, type Network } from '../network';
import { planTrip, roadStationHex } from './plan-trip';

function network(): Network {
  const r = compileNetwork(generateProvince({}));
  if (!r.ok) throw new Error('synthetic TEST province must compile');
  return r.value;
}

const net = network();
const tables = buildMinFeeTables(net);
const EXIT = new Date('2026-12-06T12:00:00.500Z');
const ENTRY = new Date('2026-12-06T09:00:00.700Z');
/** A home station well inside the synthetic province (road 1, the 5th station). */
const home = net.stations.find(
  (s) => s.hex.endsWith('05') && net.stationIsHome[stationIndexOf(net, s.hex)] === 1,
);

function plan(o: { offset: number; entryStation?: string; vehicleClass?: number; exit?: string }) {
  const r = planTrip(net, {
    exitStation: o.exit ?? home?.hex ?? '',
    offset: o.offset,
    ...(o.entryStation ? { entryStation: o.entryStation } : {}),
    vehicleClass: o.vehicleClass ?? 1,
    entryTime: ENTRY,
    exitTime: EXIT,
  });
  if (!r.ok) throw r.error;
  return r.value;
}

describe('planTrip: a simulated trip through the tariff network (TEST)', () => {
  it('enters `offset` stations back on the exit road and passes the gantries of the minimum-fee path', () => {
    for (const vehicleClass of [1, 2, 11, 16]) {
      const p = plan({ offset: 3, vehicleClass });
      expect(p.entryStationHex).toBe(roadStationHex(home?.hex ?? '', 3));
      const from = stationIndexOf(net, p.entryStationHex);
      const to = stationIndexOf(net, p.exitStationHex);
      const c = classIndex(vehicleClass);
      const expected = minFeePath(tables, from, to, c).flatMap((e) => net.edgeGantries[e] ?? []);
      expect(p.passes.map((g) => g.gantryId)).toEqual(expected.map((g) => net.gantries[g]?.id));
      const min = minFeeAt(tables, from, to, c);
      expect(min.reachable).toBe(true);
      if (!min.reachable) return;
      expect(p.passes.reduce((a, g) => a + g.fee, 0)).toBe(min.fee);
      expect(p.passes.reduce((a, g) => a + g.mileageM, 0)).toBe(min.mileageM);
    }
  });

  it('spreads whole-second times strictly between entry and exit, in path order', () => {
    const p = plan({ offset: 4 });
    const times = [p.entryTime, ...p.passes.map((g) => g.time)].map((t) => t.getTime());
    expect(p.entryTime.toISOString()).toBe('2026-12-06T09:00:00.000Z');
    for (const t of times) expect(t % 1000).toBe(0);
    for (let i = 1; i < times.length; i++) expect(times[i]).toBeGreaterThan(times[i - 1] ?? 0);
    expect(times.at(-1)).toBeLessThan(EXIT.getTime());
  });

  it('from the neighbour province: crosses the border gantries, each gantry naming its own province', () => {
    const p = plan({ offset: 0, entryStation: '61010203' });
    expect(p.entryStationHex).toBe('61010203');
    const provinces = [...new Set(p.passes.map((g) => g.province))];
    expect(provinces).toEqual([0x61, 0x37]);
    expect(p.passes.filter((g) => g.border).length).toBeGreaterThanOrEqual(1);
    // The first pass is §9's Shaanxi gantry 6C0110, each home gantry's ID names 37.
    expect(p.passes[0]?.gantryHex).toBe('6C0110');
    for (const g of p.passes) expect(g.gantryId.slice(5, 7)).toBe(g.province.toString(16));
  });

  it('a U-turn at the exit passes no gantry', () => {
    expect(plan({ offset: 0 }).passes).toEqual([]);
  });

  it('an unknown station or class is a typed tariff error, not a throw', () => {
    const base = { offset: 1, vehicleClass: 1, entryTime: ENTRY, exitTime: EXIT };
    expect(planTrip(net, { ...base, exitStation: 'FFFFFFFF' })).toMatchObject({
      ok: false,
      error: { code: 'TARIFF_UNKNOWN_STATION', field: 'exitStation' },
    });
    expect(planTrip(net, { ...base, exitStation: home?.hex ?? '', entryStation: '62010101' })).toMatchObject({
      ok: false,
      error: { code: 'TARIFF_UNKNOWN_STATION', field: 'entryStation' },
    });
    expect(planTrip(net, { ...base, exitStation: home?.hex ?? '', vehicleClass: 5 })).toMatchObject({
      ok: false,
      error: { code: 'TARIFF_UNKNOWN_CLASS' },
    });
  });
});
