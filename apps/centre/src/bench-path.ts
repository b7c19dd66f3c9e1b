import type { AddressInfo } from 'node:net';
import type { BenchRow } from '@tollpad/domain/bench';
import { fitPath } from '@tollpad/tariff';
import { sql } from 'kysely';
import { loadDay } from './bench-day';
import { Tally, tallyRow } from './bench-tally';
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
/** Requests of each kind, one at a time over loopback HTTP, spread over the day's vehicles. */
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

interface PlateFee {
  loadS: number;
  count: number;
  vehicles: number;
  trips: number;
  plate: Tally;
  path: Tally;
  stated: Tally;
  fit: Tally;
}

/** Why an online-fee answer is not the planned trip's fee: its fit code, the plate unknown, another fee. */
function feeFailure(
  body: { ok?: boolean; special?: number; plateUnknown?: boolean; fee?: number },
  planned: number,
): string | undefined {
  if (body.ok === true) return body.fee === planned ? undefined : 'another fee than the trip planned';
  if (body.plateUnknown) return 'plate unknown';
  return body.special === undefined ? 'no fee' : `code ${body.special}`;
}

async function plateFee(dialect: DialectName): Promise<PlateFee> {
  return withCentre(dialect, async (centre) => {
    const t0 = performance.now();
    const day = await loadDay(centre, dialect);
    const loadS = (performance.now() - t0) / 1000;
    const count = Number(
      (await sql<{ c: number }>`SELECT count(*) AS c FROM gantry_passages`.execute(centre.services.db.db))
        .rows[0]!.c,
    );
    const t = await centre.services.tariffs.activeAt();
    await centre.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = centre.app.server.address() as AddressInfo;
    /** The request's time, and its answer (an HTTP error is a failure of its own). */
    const call = async (station: string, method: string, url: string, body?: unknown) => {
      const s = performance.now();
      const res = await fetch(`http://127.0.0.1:${port}${url}`, {
        method,
        headers: { 'content-type': 'application/json', [TEST_PEER_HEADER]: station },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const answer = (await res.json()) as Record<string, unknown>;
      return { ms: performance.now() - s, status: res.status, answer };
    };
    const plate = new Tally();
    const path = new Tally();
    const stated = new Tally();
    const fit = new Tally();
    for (let i = 0; i < REQUESTS; i++) {
      // The exit station asks about a vehicle leaving there, at its exit time.
      const v = day.vehicle((i * 331) % day.vehicles);
      const { trip } = v;
      const q = { exitStation: trip.exitStation, vehicleClass: trip.vehicleClass, exitTime: v.exitTime };
      let r = await call(trip.exitStation, 'POST', '/online-fee', { plate: v.plate, ...q });
      plate.add(r.ms, r.status === 200 ? feeFailure(r.answer, trip.fee) : `HTTP ${r.status}`);
      r = await call(
        trip.exitStation,
        'GET',
        `/plates/${encodeURIComponent(v.plate)}/path?before=${v.exitTime}&exitStation=${trip.exitStation}&vehicleClass=${trip.vehicleClass}`,
      );
      const pathFit = r.answer.fit as { ok?: boolean; special?: number | null } | undefined;
      path.add(
        r.ms,
        r.status !== 200
          ? `HTTP ${r.status}`
          : pathFit?.ok
            ? undefined
            : `code ${pathFit?.special ?? 'none'}`,
      );
      r = await call(trip.exitStation, 'POST', '/online-fee', {
        passId: v.passId,
        entryStation: trip.entryStation,
        ...q,
      });
      stated.add(r.ms, r.status === 200 ? feeFailure(r.answer, trip.fee) : `HTTP ${r.status}`);
      const s = performance.now();
      const f = fitPath(t.tables, {
        entryStation: trip.entryStation,
        exitStation: trip.exitStation,
        vehicleClass: trip.vehicleClass,
        gantries: trip.passes.map((p) => ({ gantry: p.gantryId })),
      });
      fit.add(performance.now() - s, f.ok ? undefined : `code ${f.special}`);
    }
    return { loadS, count, vehicles: day.vehicles, trips: day.trips.length, plate, path, stated, fit };
  });
}

export async function runPathBenchmarks(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const dialect of ['postgres', 'sqlite'] as const) {
    try {
      const r = await plateFee(dialect);
      const held = `${(r.count / 1e6).toFixed(2)} M passages of ${r.vehicles} vehicles on ${r.trips} trips, loaded in ${r.loadS.toFixed(0)} s`;
      const goal = `≤ ${PLATE_FEE_P95_GOAL_MS} ms [P] (#22)`;
      rows.push(
        tallyRow({
          name: `centre online fee by plate, no entry (${dialect}, ${held})`,
          tally: r.plate,
          goalMs: PLATE_FEE_P95_GOAL_MS,
          goal,
          baseline: { label: 'by PassID with the entry stated', tally: r.stated },
        }),
      );
      rows.push(
        tallyRow({
          name: `centre path by plate, photo refs (${dialect}, same day)`,
          tally: r.path,
          goalMs: PLATE_FEE_P95_GOAL_MS,
          goal,
          baseline: { label: 'fitPath in-process', tally: r.fit, digits: 3 },
        }),
      );
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
