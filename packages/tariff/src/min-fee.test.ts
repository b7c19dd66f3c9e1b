import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CLASS_COUNT } from './classes';
import { generateProvince } from './generate';
import { buildMinFeeTables, lookupMinFee, minFeeAt, minFeePath } from './min-fee';
import { compileNetwork, loadTariff, type Network } from './network';
import { smallTariff, stationId } from './test-fixtures';

function province(): Network {
  const r = compileNetwork(generateProvince({ seed: 11, roads: 6, stationsPerRoad: 12 }));
  if (!r.ok) throw new Error('synthetic province must compile');
  return r.value;
}

const net = province();
const tables = buildMinFeeTables(net);
const S = net.stationCount;

describe('minimum-fee tables (small TEST tariff)', () => {
  const small = loadTariff(smallTariff());
  if (!small.ok) throw new Error('fixture');
  const t = buildMinFeeTables(small.value);

  it('prefers the cheaper three-interval route over the costly bypass', () => {
    const r = lookupMinFee(t, stationId(1), stationId(4), 1);
    expect(r).toEqual({
      ok: true,
      value: { reachable: true, fee: 1351, fee95: 1284, mileageM: 30000, version: '99000001' },
    });
  });

  it('computes fee95 per interval with half-up rounding, not from the total', () => {
    // 428 + 428 + 428 = 1284, while round(1351 × 0.95) = 1283.
    const r = lookupMinFee(t, stationId(1), stationId(4), 1);
    expect(r.ok && r.value.reachable && r.value.fee95).toBe(1284);
  });

  it('marks unreachable pairs and accepts station hex', () => {
    expect(lookupMinFee(t, stationId(1), stationId(5), 1)).toEqual({
      ok: true,
      value: { reachable: false, version: '99000001' },
    });
    expect(lookupMinFee(t, '37FF0004', '37ff0001', 12).ok && true).toBe(true);
  });

  it('rejects unknown stations and classes with typed errors', () => {
    expect(lookupMinFee(t, 'G9999370010990', stationId(1), 1)).toMatchObject({
      ok: false,
      error: { code: 'TARIFF_UNKNOWN_STATION', field: 'entryStation' },
    });
    expect(lookupMinFee(t, stationId(1), stationId(2), 5)).toMatchObject({
      ok: false,
      error: { code: 'TARIFF_UNKNOWN_CLASS' },
    });
  });

  it('uses twice the class-1 fee for class 2 in the fixture', () => {
    const r = lookupMinFee(t, stationId(1), stationId(2), 2);
    expect(r.ok && r.value.reachable && r.value.fee).toBe(900);
  });
});

describe('minimum-fee tables (synthetic province properties)', () => {
  const station = fc.integer({ min: 0, max: S - 1 });
  const cls = fc.integer({ min: 0, max: CLASS_COUNT - 1 });

  it('every station pair is reachable in the connected synthetic province', () => {
    for (let a = 0; a < S; a++)
      for (let b = 0; b < S; b++) expect(minFeeAt(tables, a, b, 0).reachable).toBe(true);
  });

  it('min fee ≤ the fee of any random valid path', () => {
    fc.assert(
      fc.property(station, cls, fc.array(fc.nat(), { minLength: 1, maxLength: 60 }), (start, c, choices) => {
        let v = start;
        let fee = 0;
        let fee95 = 0;
        for (const ch of choices) {
          const deg = net.outStart[v + 1]! - net.outStart[v]!;
          if (deg === 0) break;
          const e = net.outEdges[net.outStart[v]! + (ch % deg)]!;
          fee += net.edgeFee[e * CLASS_COUNT + c]!;
          fee95 += net.edgeFee95[e * CLASS_COUNT + c]!;
          v = net.edgeTo[e]!;
        }
        const m = minFeeAt(tables, start, v, c);
        expect(m.reachable).toBe(true);
        if (!m.reachable) return;
        expect(m.fee).toBeLessThanOrEqual(fee);
        expect(m.fee95).toBeLessThanOrEqual(fee95);
      }),
      { numRuns: 300 },
    );
  });

  it('satisfies the triangle inequality over stations', () => {
    fc.assert(
      fc.property(station, station, station, cls, (a, b, c, k) => {
        const ab = minFeeAt(tables, a, b, k);
        const bc = minFeeAt(tables, b, c, k);
        const ac = minFeeAt(tables, a, c, k);
        if (!ab.reachable || !bc.reachable || !ac.reachable) throw new Error('connected');
        expect(ac.fee).toBeLessThanOrEqual(ab.fee + bc.fee);
        expect(ac.fee95).toBeLessThanOrEqual(ab.fee95 + bc.fee95);
      }),
      { numRuns: 500 },
    );
  });

  it('the reconstructed path sums to the table fee and mileage', () => {
    fc.assert(
      fc.property(station, station, cls, (a, b, c) => {
        const path = minFeePath(tables, a, b, c);
        let fee = 0;
        let len = 0;
        let v = a;
        for (const e of path) {
          expect(net.edgeFrom[e]).toBe(v);
          fee += net.edgeFee[e * CLASS_COUNT + c]!;
          len += net.edgeLength[e]!;
          v = net.edgeTo[e]!;
        }
        expect(v).toBe(b);
        const m = minFeeAt(tables, a, b, c);
        expect(m.reachable && [m.fee, m.mileageM]).toEqual([fee, len]);
      }),
      { numRuns: 200 },
    );
  });

  it('entry = exit costs zero', () => {
    const m = minFeeAt(tables, 3, 3, 5);
    expect(m.reachable && m.fee).toBe(0);
  });
});
