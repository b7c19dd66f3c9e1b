import type { AddressInfo } from 'node:net';
import type { BenchRow } from '@tollpad/domain/bench';
import { fitPath } from '@tollpad/tariff';
import { sql } from 'kysely';
import { type Centre, createCentre } from './centre';
import { loadConfig } from './config';
import type { DialectName } from './db/database';
import { TEST_PEER_HEADER } from './http/peer';
import { createTestDatabase, type TestDatabase } from './testing/test-db';

/**
 * [P] #22 goals. Online fee by plate (a vehicle with no card: entry inferred from the plate's captures or
 * first gantry) with a province's day of passages held: p95 ≤ 50 ms over HTTP, like the online fee by
 * PassID, far inside the station's 1 s timeout. The path through the centre: the same bound.
 */
export const PLATE_FEE_P95_GOAL_MS = 50;
/** A province's day [P]: ~100 000 vehicles × 10 gantries each. */
const PASSAGES = 1_000_000;
const PER_VEHICLE = 10;
const REQUESTS = 300;

async function withCentre<T>(dialect: DialectName, fn: (c: Centre) => Promise<T>): Promise<T> {
  const db: TestDatabase = await createTestDatabase(dialect);
  const centre = await createCentre({
    config: {
      ...loadConfig({}),
      databaseUrl: db.databaseUrl,
      dataDir: db.dataDir,
      seedCardListSize: 100,
      pgPoolSize: 10,
      listDeltaMinutes: 0,
      logLevel: 'warn',
      plainHttp: true,
    },
    logger: false,
  });
  try {
    return await fn(centre);
  } finally {
    await centre.close();
    await db.drop();
  }
}

/**
 * Loads the day in the database itself (generate_series / a recursive CTE over a gantry table): plates
 * 鲁A00000…, ten passages each at gantries of the network, 80 ms apart over the day; an entry capture for
 * every other vehicle. TEST data.
 */
export async function loadDay(centre: Centre, dialect: DialectName): Promise<void> {
  const db = centre.services.db.db;
  const net = (await centre.services.tariffs.activeAt()).network;
  await sql`CREATE TABLE bench_gantries (i integer PRIMARY KEY, id text, hex text)`.execute(db);
  for (let i = 0; i < net.gantries.length; i += 500) {
    const rows = net.gantries.slice(i, i + 500).map((g, k) => sql`(${i + k}, ${g.id}, ${g.hex})`);
    await sql`INSERT INTO bench_gantries (i, id, hex) VALUES ${sql.join(rows)}`.execute(db);
  }
  const g = net.gantries.length;
  const stations = net.stations.filter((_, i) => net.stationIsHome[i] === 1).map((s) => s.id);
  const s = stations.length;
  if (dialect === 'postgres') {
    await sql`
      INSERT INTO gantry_passages (pass_id, gantry_id, gantry_hex, pass_time, vehicle_class, received_at, plate)
      SELECT '01TEST' || lpad((n / ${PER_VEHICLE})::text, 30, '0'), b.id, b.hex,
             to_char(timestamp '2026-11-23 00:00:00' + n * interval '80 milliseconds', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
             1, '2026-11-24T00:00:00.000Z', '鲁A' || lpad((n / ${PER_VEHICLE})::text, 5, '0')
      FROM generate_series(0, ${PASSAGES - 1}) AS n
      JOIN bench_gantries b ON b.i = ((n / ${PER_VEHICLE}) * 7 + n % ${PER_VEHICLE}) % ${g}`.execute(db);
    await sql`
      INSERT INTO lane_captures (station_id, lane_id, capture_time, plate, plate_colour, kind, photo_id, received_at)
      SELECT st, st || '1010010',
             to_char(timestamp '2026-11-23 00:00:00' + v * ${PER_VEHICLE} * interval '80 milliseconds' - interval '1 minute', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
             '鲁A' || lpad(v::text, 5, '0'), 0, 'entry', NULL, '2026-11-24T00:00:00.000Z'
      FROM generate_series(0, ${PASSAGES / PER_VEHICLE - 1}, 2) AS v,
           LATERAL (SELECT (ARRAY[${sql.join(stations)}])[1 + v % ${s}] AS st) x`.execute(db);
    await sql`ANALYZE`.execute(db);
  } else {
    await sql`
      WITH RECURSIVE seq(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM seq WHERE n < ${PASSAGES - 1})
      INSERT INTO gantry_passages (pass_id, gantry_id, gantry_hex, pass_time, vehicle_class, received_at, plate)
      SELECT '01TEST' || printf('%030d', n / ${PER_VEHICLE}), b.id, b.hex,
             strftime('%Y-%m-%dT%H:%M:%fZ', '2026-11-23', (n * 0.08) || ' seconds'),
             1, '2026-11-24T00:00:00.000Z', '鲁A' || printf('%05d', n / ${PER_VEHICLE})
      FROM seq JOIN bench_gantries b ON b.i = ((n / ${PER_VEHICLE}) * 7 + n % ${PER_VEHICLE}) % ${g}`.execute(
      db,
    );
    await sql`CREATE TABLE bench_stations (i integer PRIMARY KEY, id text)`.execute(db);
    await sql`INSERT INTO bench_stations (i, id) VALUES ${sql.join(stations.map((id, i) => sql`(${i}, ${id})`))}`.execute(
      db,
    );
    await sql`
      WITH RECURSIVE seq(v) AS (SELECT 0 UNION ALL SELECT v + 2 FROM seq WHERE v + 2 < ${PASSAGES / PER_VEHICLE})
      INSERT INTO lane_captures (station_id, lane_id, capture_time, plate, plate_colour, kind, photo_id, received_at)
      SELECT b.id, b.id || '1010010',
             strftime('%Y-%m-%dT%H:%M:%fZ', '2026-11-23', (v * ${PER_VEHICLE} * 0.08 - 60) || ' seconds'),
             '鲁A' || printf('%05d', v), 0, 'entry', NULL, '2026-11-24T00:00:00.000Z'
      FROM seq JOIN bench_stations b ON b.i = v % ${s}`.execute(db);
    await sql`ANALYZE`.execute(db);
  }
}

function p95(samples: number[]): number {
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * 0.95))]!;
}

interface PlateFee {
  loadS: number;
  plateP95: number;
  pathP95: number;
  statedP95: number;
  fitP95: number;
  count: number;
}

async function plateFee(dialect: DialectName): Promise<PlateFee> {
  return withCentre(dialect, async (centre) => {
    const t0 = performance.now();
    await loadDay(centre, dialect);
    const loadS = (performance.now() - t0) / 1000;
    const count = Number(
      (await sql<{ c: number }>`SELECT count(*) AS c FROM gantry_passages`.execute(centre.services.db.db))
        .rows[0]!.c,
    );
    const t = await centre.services.tariffs.activeAt();
    const net = t.network;
    const exitStation = net.stations[5]!.id;
    await centre.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = centre.app.server.address() as AddressInfo;
    const call = async (method: string, url: string, body?: unknown) => {
      const s = performance.now();
      const res = await fetch(`http://127.0.0.1:${port}${url}`, {
        method,
        headers: { 'content-type': 'application/json', [TEST_PEER_HEADER]: exitStation },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`path bench: ${res.status} ${url}`);
      return performance.now() - s;
    };
    const plate: number[] = [];
    const path: number[] = [];
    const stated: number[] = [];
    const fit: number[] = [];
    const exitTime = '2026-11-23T23:59:59.000Z';
    for (let i = 0; i < REQUESTS; i++) {
      const v = (i * 331) % (PASSAGES / PER_VEHICLE);
      const p = `鲁A${String(v).padStart(5, '0')}`;
      plate.push(await call('POST', '/online-fee', { plate: p, exitStation, vehicleClass: 1, exitTime }));
      path.push(
        await call(
          'GET',
          `/plates/${encodeURIComponent(p)}/path?before=${exitTime}&exitStation=${exitStation}`,
        ),
      );
      const entry = net.stations[v % 50]!.id;
      stated.push(
        await call('POST', '/online-fee', {
          passId: `01TEST${String(v).padStart(30, '0')}`,
          entryStation: entry,
          exitStation,
          vehicleClass: 1,
          exitTime,
        }),
      );
      const s = performance.now();
      fitPath(t.tables, { entryStation: entry, exitStation, vehicleClass: 1, gantries: [] });
      fit.push(performance.now() - s);
    }
    return {
      loadS,
      count,
      plateP95: p95(plate),
      pathP95: p95(path),
      statedP95: p95(stated),
      fitP95: p95(fit),
    };
  });
}

export async function runPathBenchmarks(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const dialect of ['postgres', 'sqlite'] as const) {
    try {
      const r = await plateFee(dialect);
      const held = `${(r.count / 1e6).toFixed(1)} M passages held, loaded in ${r.loadS.toFixed(0)} s`;
      rows.push({
        name: `centre online fee by plate, no entry (${dialect}, ${held})`,
        value: r.plateP95,
        unit: 'ms p95',
        goal: `≤ ${PLATE_FEE_P95_GOAL_MS} ms [P] (#22)`,
        baseline: `by PassID with the entry stated p95 ${r.statedP95.toFixed(2)} ms`,
        ratio: r.plateP95 / Math.max(r.statedP95, 1e-6),
        pass: r.plateP95 <= PLATE_FEE_P95_GOAL_MS,
      });
      rows.push({
        name: `centre path by plate, photo refs (${dialect}, same day)`,
        value: r.pathP95,
        unit: 'ms p95',
        goal: `≤ ${PLATE_FEE_P95_GOAL_MS} ms [P] (#22)`,
        baseline: `fitPath in-process p95 ${r.fitP95.toFixed(3)} ms`,
        ratio: r.pathP95 / Math.max(r.fitP95, 1e-6),
        pass: r.pathP95 <= PLATE_FEE_P95_GOAL_MS,
      });
    } catch (e) {
      rows.push({
        name: `centre online fee by plate (${dialect}) — not run: ${e instanceof Error ? e.message.slice(0, 80) : 'error'}`,
        value: 0,
        unit: 'ms p95',
        pass: false,
      });
    }
  }
  return rows;
}

// `tsx apps/centre/src/bench-path.ts` prints the rows on its own.
if (import.meta.url === `file://${process.argv[1]}`) {
  console.table(await runPathBenchmarks());
}
