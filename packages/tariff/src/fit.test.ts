import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CLASS_CODES } from './classes';
import { fitPath } from './fit';
import { generateProvince } from './generate';
import { buildMinFeeTables, minFeeAt } from './min-fee';
import { compileNetwork, loadTariff } from './network';
import { intervalId, smallTariff, stationId } from './test-fixtures';

const small = loadTariff(smallTariff());
if (!small.ok) throw new Error('fixture');
const st = buildMinFeeTables(small.value);

describe('fitPath (small TEST tariff)', () => {
  it('follows the bypass when its gantry was seen', () => {
    const r = fitPath(st, {
      entryStation: stationId(1),
      exitStation: stationId(4),
      vehicleClass: 1,
      gantries: [{ gantry: 'A00041' }],
    });
    expect(r).toMatchObject({ ok: true, fee: 2000, fee95: 1900, mileageM: 25000, fittedCount: 0 });
  });

  it('fills gaps with min-fee segments and marks fitted gantries', () => {
    const r = fitPath(st, {
      entryStation: stationId(1),
      exitStation: stationId(4),
      vehicleClass: 1,
      gantries: [{ gantry: `${intervalId(3)}010` }],
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.fee).toBe(1351);
    expect(r.gantries.map((g) => g.observed)).toEqual([false, false, true]);
    expect(r.intervalFees95).toEqual([428, 428, 428]);
  });

  it('returns 66 when the exit cannot be reached', () => {
    expect(
      fitPath(st, { entryStation: stationId(1), exitStation: stationId(5), vehicleClass: 1, gantries: [] }),
    ).toMatchObject({ ok: false, special: 66 });
  });

  it('returns 66 when the gantries are seen in an impossible order', () => {
    // The bypass 1→4 exists only eastbound; seeing it after the westbound 2→1 gantry and exiting at 1 is impossible.
    const r = fitPath(st, {
      entryStation: stationId(2),
      exitStation: stationId(1),
      vehicleClass: 1,
      gantries: [{ gantry: 'A00012' }, { gantry: 'A00041' }],
    });
    expect(r).toMatchObject({ ok: true }); // 4 → 3 → 2 → 1 is possible
    const r2 = fitPath(st, {
      entryStation: stationId(5),
      exitStation: stationId(1),
      vehicleClass: 1,
      gantries: [{ gantry: 'A00041' }],
    });
    expect(r2).toMatchObject({ ok: false, special: 66 });
  });

  it('returns 67 when too many gantries must be fitted', () => {
    const r = fitPath(
      st,
      {
        entryStation: stationId(1),
        exitStation: stationId(4),
        vehicleClass: 1,
        gantries: [{ gantry: 'A00031' }],
      },
      { maxFittedGantries: 1 },
    );
    expect(r).toMatchObject({ ok: false, special: 67 });
  });

  it('returns 68 for unknown gantries, stations, classes and out-of-order times', () => {
    const base = { entryStation: stationId(1), exitStation: stationId(4), vehicleClass: 1 };
    expect(fitPath(st, { ...base, gantries: [{ gantry: 'FFFFFF' }] })).toMatchObject({ special: 68 });
    expect(fitPath(st, { ...base, entryStation: 'X', gantries: [] })).toMatchObject({ special: 68 });
    expect(fitPath(st, { ...base, vehicleClass: 9, gantries: [] })).toMatchObject({ special: 68 });
    const t0 = new Date('2024-01-17T04:00:00Z');
    const t1 = new Date('2024-01-17T03:00:00Z');
    expect(
      fitPath(st, {
        ...base,
        gantries: [
          { gantry: 'A00011', time: t0 },
          { gantry: 'A00021', time: t1 },
        ],
      }),
    ).toMatchObject({ special: 68 });
  });
});

describe('fitPath properties (synthetic province)', () => {
  const r = compileNetwork(generateProvince({ seed: 5, roads: 6, stationsPerRoad: 12 }));
  if (!r.ok) throw new Error('synthetic');
  const net = r.value;
  const t = buildMinFeeTables(net);
  const S = net.stationCount;
  const arb = fc.record({
    a: fc.integer({ min: 0, max: S - 1 }),
    b: fc.integer({ min: 0, max: S - 1 }),
    c: fc.constantFrom(...CLASS_CODES),
    g: fc.array(fc.integer({ min: 0, max: net.gantries.length - 1 }), { maxLength: 3 }),
  });

  it('fitting with no gantries equals the min fee', () => {
    fc.assert(
      fc.property(arb, ({ a, b, c }) => {
        const fit = fitPath(t, {
          entryStation: net.stations[a]!.id,
          exitStation: net.stations[b]!.id,
          vehicleClass: c,
          gantries: [],
        });
        const m = minFeeAt(t, a, b, CLASS_CODES.indexOf(c));
        expect(fit.ok && m.reachable).toBe(true);
        if (!fit.ok || !m.reachable) return;
        expect([fit.fee, fit.mileageM]).toEqual([m.fee, m.mileageM]);
        expect(fit.fee95).toBeGreaterThanOrEqual(m.fee95);
      }),
      { numRuns: 200 },
    );
  });

  it('fitting through gantries never returns less than the min fee', () => {
    fc.assert(
      fc.property(arb, ({ a, b, c, g }) => {
        const fit = fitPath(
          t,
          {
            entryStation: net.stations[a]!.hex,
            exitStation: net.stations[b]!.hex,
            vehicleClass: c,
            gantries: g.map((i) => ({ gantry: net.gantries[i]!.hex })),
          },
          { maxFittedGantries: 10_000 },
        );
        const m = minFeeAt(t, a, b, CLASS_CODES.indexOf(c));
        if (!m.reachable) throw new Error('connected');
        expect(fit.ok).toBe(true);
        if (!fit.ok) return;
        expect(fit.fee).toBeGreaterThanOrEqual(m.fee);
        expect(fit.fee95).toBeGreaterThanOrEqual(m.fee95);
        expect(fit.gantries.filter((x) => x.observed).length).toBeGreaterThanOrEqual(
          new Set(g).size > 0 ? 1 : 0,
        );
      }),
      { numRuns: 200 },
    );
  });
});
