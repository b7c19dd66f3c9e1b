import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Day, loadDay } from './bench-day';
import { type Harness, startHarness } from './testing/harness';
import { DIALECTS } from './testing/test-db';

/** A small day (the bench loads 1 M passages the same way). */
const PASSAGES = 3_000;

describe.each(DIALECTS)('the #22 bench day of planned trips on %s', (dialect) => {
  let h: Harness;
  let day: Day;

  beforeAll(async () => {
    h = await startHarness(dialect);
    day = await loadDay(h.centre, dialect, PASSAGES);
  });
  afterAll(async () => h?.close());

  const db = () => h.centre.services.db.db;

  it('holds at least the passages asked for, every trip over by midnight', async () => {
    const expected = Array.from({ length: day.vehicles }, (_, v) => day.vehicle(v).trip.passes.length).reduce(
      (a, b) => a + b,
    );
    const { rows } = await sql<{ c: number }>`SELECT count(*) AS c FROM gantry_passages`.execute(db());
    expect(Number(rows[0]!.c)).toBe(expected);
    expect(expected).toBeGreaterThanOrEqual(PASSAGES);
    expect(day.vehicle(day.vehicles - 1).exitTime < '2026-11-24T00:00:00.000Z').toBe(true);
  });

  it("stores each vehicle's passages and entry capture where layDay says: its trip's gantries, in order", async () => {
    for (const v of [0, 9, day.vehicles - 1]) {
      const x = day.vehicle(v);
      const start = Date.parse(x.entryTime);
      const held = await h.centre.services.passages.passagesOf(x.passId);
      expect(held.map((p) => [p.gantry, p.time])).toEqual(
        x.trip.passes.map((p) => [p.gantryId, new Date(start + p.offsetMs).toISOString()]),
      );
      const captured = await h.centre.services.passages.latestEntryCapture(
        x.plate,
        '2026-11-23T00:00:00.000Z',
        x.exitTime,
      );
      expect(captured === undefined ? undefined : [captured.station, captured.time]).toEqual(
        x.captured ? [x.trip.entryStation, x.entryTime] : undefined,
      );
    }
  });

  it("answers each plate's online fee at its exit with its planned trip's fee, entry captured or not", async () => {
    for (const v of [0, 9]) {
      const x = day.vehicle(v);
      const res = await h.call('POST', '/online-fee', {
        body: {
          plate: x.plate,
          exitStation: x.trip.exitStation,
          vehicleClass: x.trip.vehicleClass,
          exitTime: x.exitTime,
        },
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({
        ok: true,
        fee: x.trip.fee,
        entryStation: x.trip.entryStation,
        entrySource: x.captured ? 'lane-capture' : 'gantry',
        passagesUsed: x.trip.passes.length,
      });
    }
  });
});
