import { describe, expect, it } from 'vitest';
import { CLASS_COUNT, classIndex } from './classes';
import { generateProvince } from './generate';
import { buildMinFeeTables, lookupMinFee, type MinFeeTables, minFeePath } from './min-fee';
import { compileNetwork, type Network } from './network';
import { formatTariffFile } from './tariff-file';

function compiled(neighbour: boolean, roads = 4, stationsPerRoad = 8): Network {
  const r = compileNetwork(generateProvince({ roads, stationsPerRoad, neighbour }));
  if (!r.ok) throw new Error('synthetic TEST province must compile');
  return r.value;
}

const withN = compiled(true);
const without = compiled(false);
const tWith = buildMinFeeTables(withN);
const tWithout = buildMinFeeTables(without);

const pathIds = (t: MinFeeTables, a: number, b: number, c: number) =>
  minFeePath(t, a, b, c).map((e) => t.network.intervals[e]?.id);

describe('the synthetic neighbour province (national table slice, SYNTHETIC TEST DATA)', () => {
  it('is an addition: every home line of the tariff file is unchanged and in the same order', () => {
    const a = formatTariffFile(generateProvince({ neighbour: false }))
      .trimEnd()
      .split('\n');
    const b = formatTariffFile(generateProvince({})).trimEnd().split('\n');
    expect(b.length).toBeGreaterThan(a.length);
    expect(b.filter((l) => !/G9801(61|37)0010|B-G9801/.test(l))).toEqual(a);
  });

  it('leaves every home pair’s minimum fee, ETC fee, mileage and path as it was, for every class', () => {
    const S = without.stationCount;
    for (let a = 0; a < S; a++) {
      for (let b = 0; b < S; b++) {
        for (let c = 0; c < CLASS_COUNT; c++) {
          const i = (a * without.nodeCount + b) * CLASS_COUNT + c;
          const j = (a * withN.nodeCount + b) * CLASS_COUNT + c;
          if (tWithout.fee[i] !== tWith.fee[j] || tWithout.fee95[i] !== tWith.fee95[j])
            throw new Error(`fee ${a}→${b} class ${c}`);
          if (tWithout.mileage[i] !== tWith.mileage[j]) throw new Error(`mileage ${a}→${b} class ${c}`);
        }
        expect(pathIds(tWith, a, b, 0)).toEqual(pathIds(tWithout, a, b, 0));
      }
    }
  });

  it('knows the foreign entry 61010203 and reaches every home station through the marked border gantries', () => {
    const c = classIndex(1);
    const home = withN.stations[0];
    const m = lookupMinFee(tWith, '61010203', home?.hex ?? '', 1);
    // §9's Shaanxi block (2000 + 2500) and the home side of the border (12 km × 45).
    expect(m.ok && m.value.reachable && m.value.fee).toBe(2000 + 2500 + 540);
    const from = withN.stationByHex.get('61010203') ?? -1;
    for (let s = 0; s < without.stationCount; s++) {
      const path = minFeePath(tWith, from, s, c);
      const hexes = path.flatMap((e) => (withN.edgeGantries[e] ?? []).map((g) => withN.gantries[g]?.hex));
      expect(hexes.slice(0, 3)).toEqual(['6C0110', '6C012F', '3C0130']);
    }
    expect([...withN.borderGantryHex].sort()).toEqual(['3C0130', '3C0230', '6C012F', '6C022F']);
    expect([...withN.stationIsHome].filter((h) => h === 0)).toHaveLength(4);
  });
});
