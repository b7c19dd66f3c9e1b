import { describe, expect, it } from 'vitest';
import { generateProvince } from './generate';
import { loadTariff, type Network } from './network';
import { formatTariffFile, type TariffFile } from './tariff-file';
import { smallTariff } from './test-fixtures';

const load = (text: string): Network => {
  const r = loadTariff(text);
  if (!r.ok) throw new Error(r.error.map((e) => e.message).join('; '));
  return r.value;
};

/** The file as it was before positions existed: every `at` dropped. */
function withoutPositions(f: TariffFile): TariffFile {
  return {
    ...f,
    stations: f.stations.map(({ at: _at, ...s }) => s),
    nodes: f.nodes.map(({ at: _at, ...n }) => n),
  };
}

describe('node positions (TEST, display only)', () => {
  it('places every node of the synthetic province, the neighbour west of the home station it joins', () => {
    const net = load(formatTariffFile(generateProvince({ seed: 7 })));
    expect(net.nodePositions).toHaveLength(net.nodeCount);
    expect(net.nodePositions.every((p) => p !== null)).toBe(true);
    const home = net.nodePositions[0]!;
    const neighbour = net.stations.findIndex((s) => s.id.slice(5, 7) === '61');
    expect(net.nodePositions[neighbour]!.x).toBeLessThan(home.x);
    // A junction sits where its two roads cross: on the E–W road's line.
    const junction = net.nodeIndex.get('J-G9001-G9006')!;
    expect(net.nodePositions[junction]!.y).toBe(home.y);
  });

  it('changes no station, interval, gantry or fee: the file without positions compiles to the same network', () => {
    const f = generateProvince({ seed: 7 });
    const withPos = load(formatTariffFile(f));
    const without = load(formatTariffFile(withoutPositions(f)));
    expect(without.nodePositions.every((p) => p === null)).toBe(true);
    expect(withPos.nodeIds).toEqual(without.nodeIds);
    expect(withPos.intervals.map((i) => [i.id, i.from, i.to, i.lengthM, i.fees])).toEqual(
      without.intervals.map((i) => [i.id, i.from, i.to, i.lengthM, i.fees]),
    );
    expect([...withPos.edgeFee]).toEqual([...without.edgeFee]);
    expect(withPos.gantries.map((g) => g.hex)).toEqual(without.gantries.map((g) => g.hex));
    expect(withPos.stations.map(({ id, hex, name }) => [id, hex, name])).toEqual(
      without.stations.map(({ id, hex, name }) => [id, hex, name]),
    );
  });

  it('keeps a file without positions byte-identical through a round trip', () => {
    const text = smallTariff();
    const net = load(text);
    expect(net.nodePositions.every((p) => p === null)).toBe(true);
    const f = {
      header: net.header,
      stations: net.stations,
      nodes: [],
      intervals: net.intervals,
      gantries: net.gantries,
    };
    expect(formatTariffFile(f)).not.toContain('"x"');
  });

  it('refuses an x without its y, and a coordinate out of bounds', () => {
    const one = smallTariff().replace('"type":"station",', '"type":"station","x":1000,');
    const r = loadTariff(one);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error[0]).toMatchObject({ code: 'TARIFF_FIELD', field: 'y' });
    const far = smallTariff().replace('"type":"station",', '"type":"station","x":1e12,"y":0,');
    const r2 = loadTariff(far);
    expect(!r2.ok && r2.error[0]).toMatchObject({ code: 'TARIFF_FIELD', field: 'x' });
  });
});
