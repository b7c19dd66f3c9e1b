import { describe, expect, it } from 'vitest';
import { CLASS_COUNT, classIndex } from './classes';
import { farthestMinFee } from './decision/stages/min-fee';
import { generateProvince } from './generate';
import { buildMinFeeTables, lookupMinFee, type MinFeeTables, minFeeAt, minFeePath } from './min-fee';
import { compileNetwork, loadTariff, type Network } from './network';
import { formatTariffFile } from './tariff-file';
import { HEADER, station } from './test-fixtures';

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

  it('leaves the farthest-station fee (省内最远站点) to home stations, though a foreign one is farther', () => {
    const home = withN.stations[0];
    const h = withN.stationByHex.get(home?.hex ?? '') ?? -1;
    // The home exit farthest from the border station: from there the neighbour's stations cost the most.
    let exit = 0;
    for (let s = 0; s < without.stationCount; s++) {
      const a = minFeeAt(tWith, h, s, 0);
      const b = minFeeAt(tWith, h, exit, 0);
      if (a.reachable && b.reachable && a.fee > b.fee) exit = s;
    }
    let all = 0;
    let homeMax = 0;
    for (let s = 0; s < withN.stationCount; s++) {
      const m = minFeeAt(tWith, s, exit, 0);
      if (!m.reachable) continue;
      all = Math.max(all, m.fee);
      if (withN.stationIsHome[s] === 1) homeMax = Math.max(homeMax, m.fee);
    }
    expect(all).toBeGreaterThan(homeMax);
    const f = farthestMinFee(tWith, exit, 0);
    const before = farthestMinFee(tWithout, exit, 0);
    expect(f.reachable && f.fee).toBe(homeMax);
    expect(before.reachable && before.fee).toBe(homeMax);
  });

  it('accepts another province’s station in the file only with a HEX that starts with its province', () => {
    const foreign = (hex: string) =>
      JSON.stringify({ type: 'station', id: 'G9801610010030', hex, name: '测试陕西站' });
    expect(loadTariff([HEADER, station(1), foreign('61010203')].join('\n')).ok).toBe(true);
    const bad = loadTariff([HEADER, station(1), foreign('37010203')].join('\n'));
    expect(!bad.ok && bad.error[0]).toMatchObject({ code: 'TARIFF_FIELD', line: 3, field: 'hex' });
  });
});
