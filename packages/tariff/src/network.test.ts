import { describe, expect, it } from 'vitest';
import { generateProvince, SYNTHETIC_LABEL } from './generate';
import { loadTariff } from './network';
import { formatTariffFile } from './tariff-file';
import { HEADER, interval, smallTariff, station, stationId } from './test-fixtures';

function errorsOf(text: string) {
  const r = loadTariff(text);
  if (r.ok) throw new Error('expected the tariff to be rejected');
  return r.error;
}

describe('loadTariff', () => {
  it('loads the small TEST tariff with stations first and gantries attached', () => {
    const r = loadTariff(smallTariff());
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.stationCount).toBe(5);
    expect(r.value.intervals).toHaveLength(7);
    expect(r.value.gantries).toHaveLength(7);
    expect(r.value.version).toBe('99000001');
    // 451 × 95/100 = 428.45 → 428; 450 → 427.5 → 428 (half-up).
    expect(r.value.edgeFee95[0]).toBe(428);
    // The fixture marks A00012 as a province-border gantry (省界门架).
    expect([...r.value.borderGantryHex]).toEqual(['A00012']);
  });

  it('reads the border-gantry marker, keeps it through a round trip and rejects a non-boolean', () => {
    const r = loadTariff(smallTariff());
    if (!r.ok) throw new Error('fixture');
    const f = {
      header: r.value.header,
      stations: r.value.stations,
      nodes: [],
      intervals: r.value.intervals,
      gantries: r.value.gantries,
    };
    const again = loadTariff(formatTariffFile(f));
    expect(again.ok && [...again.value.borderGantryHex]).toEqual(['A00012']);
    const bad = smallTariff().replace('"border":true', '"border":"yes"');
    expect(errorsOf(bad)[0]).toMatchObject({ code: 'TARIFF_FIELD', field: 'border' });
  });

  it('round-trips the synthetic province, which is marked as SYNTHETIC TEST DATA', () => {
    const f = generateProvince({ seed: 7 });
    const text = formatTariffFile(f, 'SYNTHETIC TEST DATA');
    expect(text.split('\n')[1]).toContain(SYNTHETIC_LABEL);
    const r = loadTariff(text);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    // 10 roads × 20 home stations, then the neighbour province's 4 (the national table's slice).
    expect(r.value.stationCount).toBe(204);
    expect(r.value.stationIsHome.reduce((n, h) => n + h, 0)).toBe(200);
    expect(r.value.intervals.length).toBeGreaterThan(500);
    expect(r.value.intervals.length).toBeLessThan(700);
  });

  it('is deterministic for a seed and differs across seeds', () => {
    const a = formatTariffFile(generateProvince({ seed: 1 }));
    expect(formatTariffFile(generateProvince({ seed: 1 }))).toBe(a);
    expect(formatTariffFile(generateProvince({ seed: 2 }))).not.toBe(a);
  });

  it('rejects a dangling interval naming its line and field', () => {
    const text = [HEADER, station(1), station(2), interval(1, stationId(1), stationId(9), 1000, 10)].join(
      '\n',
    );
    const [e, ...rest] = errorsOf(text);
    expect(rest).toHaveLength(0);
    expect(e).toMatchObject({ code: 'TARIFF_DANGLING', line: 4, field: 'to' });
    expect(e?.message).toContain('第4行');
  });

  it('rejects a negative fee naming the class field', () => {
    const bad = JSON.parse(interval(1, stationId(1), stationId(2), 1000, 10)) as {
      fees: Record<string, number>;
    };
    bad.fees['12'] = -5;
    const text = [HEADER, station(1), station(2), JSON.stringify(bad)].join('\n');
    expect(errorsOf(text)).toEqual([
      expect.objectContaining({ code: 'TARIFF_NEGATIVE_FEE', line: 4, field: 'fees.12' }),
    ]);
  });

  it('rejects a duplicate station naming both lines', () => {
    const text = [HEADER, station(1), station(2), station(1)].join('\n');
    const [e] = errorsOf(text);
    expect(e).toMatchObject({ code: 'TARIFF_DUPLICATE', line: 4, field: 'id' });
    expect(e?.reason).toContain('第2行');
  });

  it('rejects a cycle of zero-length intervals naming the intervals', () => {
    const s = stationId;
    const text = [
      HEADER,
      station(1),
      station(2),
      station(3),
      interval(1, s(1), s(2), 0, 10),
      interval(2, s(2), s(3), 0, 10),
      interval(3, s(3), s(1), 0, 10),
    ].join('\n');
    const [e] = errorsOf(text);
    expect(e).toMatchObject({ code: 'TARIFF_ZERO_CYCLE', field: 'lengthM' });
    expect([5, 6, 7]).toContain(e?.line);
    expect(e?.reason).toContain('→');
  });

  it('accepts zero-length intervals that do not close a cycle', () => {
    const s = stationId;
    const text = [HEADER, station(1), station(2), interval(1, s(1), s(2), 0, 10)].join('\n');
    expect(loadTariff(text).ok).toBe(true);
  });

  it('names bad JSON, missing header, bad IDs and unknown record types', () => {
    expect(errorsOf('{"type":"station"}')[0]).toMatchObject({ code: 'TARIFF_HEADER', line: 1 });
    expect(errorsOf(`${HEADER}\n{oops`)[0]).toMatchObject({ code: 'TARIFF_JSON', line: 2 });
    expect(errorsOf('')[0]).toMatchObject({ code: 'TARIFF_HEADER' });
    const badId = JSON.stringify({ type: 'station', id: 'G999937001001', hex: '37FF0001' });
    expect(errorsOf(`${HEADER}\n${badId}`)[0]).toMatchObject({ code: 'TARIFF_FIELD', line: 2, field: 'id' });
    expect(errorsOf(`${HEADER}\n{"type":"toll"}`)[0]).toMatchObject({ code: 'TARIFF_FIELD', field: 'type' });
  });
});
