import { mulberry32 } from '@tollpad/domain';
import { buildMinFeeTables, fitPath, type Network, planTrip } from '@tollpad/tariff';
import { type RawBuilder, sql } from 'kysely';
import type { Centre } from './centre';
import type { DialectName } from './db/database';

/**
 * A province's day of gantry passages for the #22 benches, TEST data: a few hundred real trips planned on
 * the synthetic province (`planTrip`: the entry, the gantries of the cheapest path in order, the exit), and
 * vehicle v driving trip v mod K, so every plate's passages fit into a fee as a real vehicle's do.
 */

/** A province's day [P]: ~1 M gantry passages (≈ 65 000 vehicles × ≈ 15 gantries on these trips). */
export const DAY_PASSAGES = 1_000_000;
/** Distinct trips planned [P]: enough entries, exits and lengths that the requests do not repeat a few. */
export const TRIP_TEMPLATES = 400;
/** [P] The entry lane's camera read 9 vehicles in 10; the 10th's entry is inferred from its first gantry. */
const CAPTURED_OF_TEN = 9;
const DAY_START_MS = Date.parse('2026-11-23T00:00:00.000Z');
const DAY_MS = 86_400_000;
/** [P] Car classes most of the traffic, with vans and trucks: each trip's class is drawn from this list. */
const CLASSES = [1, 1, 1, 1, 1, 1, 2, 11, 12, 14] as const;

/** One planned trip: gantry times as offsets from the entry, ms (whole seconds, as planTrip gives them). */
export interface TripTemplate {
  entryStation: string;
  exitStation: string;
  vehicleClass: number;
  /** Entry to exit, ms. */
  durationMs: number;
  passes: { gantryId: string; gantryHex: string; offsetMs: number }[];
  /** The fee the fit gives in-process (fen): what the centre's answer should be. */
  fee: number;
}

/**
 * K trips over the province's own stations: half along one road (1–6 stations back from the exit, the
 * commuter's trip), half between any two stations; speeds 85–110 km/h for cars, 70–85 km/h for trucks
 * [P]. Each is kept only when the fit over its own gantries succeeds (and it crosses at least one gantry).
 */
export function planDayTrips(net: Network, count = TRIP_TEMPLATES, seed = 22): TripTemplate[] {
  const tables = buildMinFeeTables(net);
  const home = net.stations.filter((_, i) => net.stationIsHome[i] === 1);
  const rnd = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const trips: TripTemplate[] = [];
  for (let tries = 0; trips.length < count && tries < count * 10; tries++) {
    const exit = pick(home);
    const along = trips.length % 2 === 0;
    const entry = along ? undefined : pick(home);
    if (entry?.id === exit.id) continue;
    const vehicleClass = pick(CLASSES);
    const planned = planTrip(net, {
      exitStation: exit.id,
      offset: 1 + Math.floor(rnd() * 6),
      ...(entry ? { entryStation: entry.id } : {}),
      vehicleClass,
      entryTime: new Date(0),
      exitTime: new Date(0),
    });
    if (!planned.ok || planned.value.passes.length === 0) continue;
    const metres = planned.value.passes.reduce((s, p) => s + p.mileageM, 0);
    const kmh = vehicleClass < 10 ? 85 + rnd() * 25 : 70 + rnd() * 15;
    // Whole seconds, at least two minutes: the gantries are spread between entry and exit as planTrip does.
    const durationMs = Math.max(120, Math.round((metres / 1000 / kmh) * 3600)) * 1000;
    const trip = planTrip(net, {
      exitStation: exit.id,
      entryStation: planned.value.entryStationId,
      offset: 0,
      vehicleClass,
      entryTime: new Date(0),
      exitTime: new Date(durationMs),
    });
    if (!trip.ok) continue;
    const passes = trip.value.passes.map((p) => ({
      gantryId: p.gantryId,
      gantryHex: p.gantryHex,
      offsetMs: p.time.getTime(),
    }));
    const fit = fitPath(tables, {
      entryStation: trip.value.entryStationId,
      exitStation: trip.value.exitStationId,
      vehicleClass,
      gantries: passes.map((p) => ({ gantry: p.gantryId, time: new Date(p.offsetMs) })),
    });
    if (!fit.ok) continue;
    trips.push({
      entryStation: trip.value.entryStationId,
      exitStation: trip.value.exitStationId,
      vehicleClass,
      durationMs,
      passes,
      fee: fit.fee,
    });
  }
  if (trips.length < count) throw new Error(`bench day: only ${trips.length} of ${count} trips planned`);
  return trips;
}

/** One vehicle of the day, as the requests name it. */
export interface DayVehicle {
  plate: string;
  passId: string;
  trip: TripTemplate;
  /** ISO-8601. */
  entryTime: string;
  exitTime: string;
  /** Its entry lane captured the plate (else the centre infers the entry from its first gantry). */
  captured: boolean;
}

/** Where the day's vehicles are: plate v drives trip v mod K, entering `stepMs` after plate v − 1. */
export interface Day {
  trips: TripTemplate[];
  vehicles: number;
  stepMs: number;
  vehicle(v: number): DayVehicle;
}

/** The day's layout: the fewest vehicles whose trips make DAY_PASSAGES, spread so each ends by midnight. */
export function layDay(trips: TripTemplate[], passages = DAY_PASSAGES): Day {
  const perCycle = trips.reduce((s, t) => s + t.passes.length, 0);
  let vehicles = Math.floor(passages / perCycle) * trips.length;
  for (let held = (vehicles / trips.length) * perCycle; held < passages; vehicles++)
    held += trips[vehicles % trips.length]!.passes.length;
  // 鲁A + five digits: the TEST plates run out at 100 000 vehicles.
  if (vehicles > 100_000) throw new Error(`bench day: ${vehicles} vehicles exceed the TEST plates`);
  const longest = Math.max(...trips.map((t) => t.durationMs));
  const stepMs = Math.floor((DAY_MS - longest - 60_000) / vehicles);
  return {
    trips,
    vehicles,
    stepMs,
    vehicle(v) {
      const trip = trips[v % trips.length]!;
      const entry = DAY_START_MS + v * stepMs;
      return {
        plate: `鲁A${String(v).padStart(5, '0')}`,
        passId: `01TEST${String(v).padStart(30, '0')}`,
        trip,
        entryTime: new Date(entry).toISOString(),
        exitTime: new Date(entry + trip.durationMs).toISOString(),
        captured: v % 10 < CAPTURED_OF_TEN,
      };
    },
  };
}

/**
 * Loads the day in the database itself: the trips in two small tables (bench_trips, bench_trip_passes),
 * then one statement each for the passages and the entry-lane captures over the vehicles (generate_series
 * on PostgreSQL, a recursive CTE on SQLite) joined to vehicle v's trip v mod K. The expressions give the
 * same times, plates and PassIDs as `layDay(…).vehicle(v)`.
 */
export async function loadDay(centre: Centre, dialect: DialectName, passages = DAY_PASSAGES): Promise<Day> {
  const db = centre.services.db.db;
  const net = (await centre.services.tariffs.activeAt()).network;
  const day = layDay(planDayTrips(net), passages);
  const { trips, vehicles: n, stepMs } = day;
  await sql`CREATE TABLE bench_trips (t integer PRIMARY KEY, entry_id text, vehicle_class integer)`.execute(
    db,
  );
  await sql`INSERT INTO bench_trips (t, entry_id, vehicle_class) VALUES ${sql.join(
    trips.map((t, i) => sql`(${i}, ${t.entryStation}, ${t.vehicleClass})`),
  )}`.execute(db);
  await sql`CREATE TABLE bench_trip_passes (t integer, k integer, gantry_id text, gantry_hex text, offset_ms integer, PRIMARY KEY (t, k))`.execute(
    db,
  );
  const templatePasses = trips.flatMap((t, i) => t.passes.map((p, k) => ({ i, k, ...p })));
  for (let i = 0; i < templatePasses.length; i += 500) {
    const rows = templatePasses
      .slice(i, i + 500)
      .map((p) => sql`(${p.i}, ${p.k}, ${p.gantryId}, ${p.gantryHex}, ${p.offsetMs})`);
    await sql`INSERT INTO bench_trip_passes (t, k, gantry_id, gantry_hex, offset_ms) VALUES ${sql.join(rows)}`.execute(
      db,
    );
  }
  const k = sql.lit(trips.length);
  const step = sql.lit(stepMs);
  const last = sql.lit(n - 1);
  const captured = sql.lit(CAPTURED_OF_TEN);
  if (dialect === 'postgres') {
    const at = (ms: RawBuilder<unknown>) =>
      sql`to_char(timestamp '2026-11-23 00:00:00' + (${ms}) * interval '1 millisecond', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
    await sql`
      INSERT INTO gantry_passages (pass_id, gantry_id, gantry_hex, pass_time, vehicle_class, received_at, plate)
      SELECT '01TEST' || lpad(v::text, 30, '0'), p.gantry_id, p.gantry_hex, ${at(sql`v * ${step} + p.offset_ms`)},
             tr.vehicle_class, '2026-11-24T00:00:00.000Z', '鲁A' || lpad(v::text, 5, '0')
      FROM generate_series(0, ${last}) AS v
      JOIN bench_trips tr ON tr.t = v % ${k}
      JOIN bench_trip_passes p ON p.t = tr.t`.execute(db);
    await sql`
      INSERT INTO lane_captures (station_id, lane_id, capture_time, plate, plate_colour, kind, photo_id, received_at)
      SELECT tr.entry_id, tr.entry_id || '1010010', ${at(sql`v * ${step}`)},
             '鲁A' || lpad(v::text, 5, '0'), 0, 'entry', NULL, '2026-11-24T00:00:00.000Z'
      FROM generate_series(0, ${last}) AS v
      JOIN bench_trips tr ON tr.t = v % ${k}
      WHERE v % 10 < ${captured}`.execute(db);
  } else {
    // Whole milliseconds as seconds with three decimals: SQLite's date arithmetic keeps milliseconds.
    const at = (ms: RawBuilder<unknown>) =>
      sql`strftime('%Y-%m-%dT%H:%M:%fZ', '2026-11-23', ((${ms}) / 1000.0) || ' seconds')`;
    await sql`
      WITH RECURSIVE seq(v) AS (SELECT 0 UNION ALL SELECT v + 1 FROM seq WHERE v < ${last})
      INSERT INTO gantry_passages (pass_id, gantry_id, gantry_hex, pass_time, vehicle_class, received_at, plate)
      SELECT '01TEST' || printf('%030d', v), p.gantry_id, p.gantry_hex, ${at(sql`v * ${step} + p.offset_ms`)},
             tr.vehicle_class, '2026-11-24T00:00:00.000Z', '鲁A' || printf('%05d', v)
      FROM seq JOIN bench_trips tr ON tr.t = v % ${k} JOIN bench_trip_passes p ON p.t = tr.t`.execute(db);
    await sql`
      WITH RECURSIVE seq(v) AS (SELECT 0 UNION ALL SELECT v + 1 FROM seq WHERE v < ${last})
      INSERT INTO lane_captures (station_id, lane_id, capture_time, plate, plate_colour, kind, photo_id, received_at)
      SELECT tr.entry_id, tr.entry_id || '1010010', ${at(sql`v * ${step}`)},
             '鲁A' || printf('%05d', v), 0, 'entry', NULL, '2026-11-24T00:00:00.000Z'
      FROM seq JOIN bench_trips tr ON tr.t = v % ${k}
      WHERE v % 10 < ${captured}`.execute(db);
  }
  await sql`ANALYZE`.execute(db);
  return day;
}
