import type { AddressInfo } from 'node:net';
import type { BenchRow } from '@tollpad/domain/bench';
import { fitPath } from '@tollpad/tariff';
import { type Centre, createCentre } from './centre';
import { loadConfig } from './config';
import type { DialectName } from './db/database';
import { TEST_PEER_HEADER } from './http/peer';
import { createTestDatabase, type TestDatabase } from './testing/test-db';
import { testRecord } from './testing/test-records';

/** A row of `npm run bench` (scripts/bench.ts). */
/**
 * [P] Goals. Ingest: the national average exit rate (~32 M/day ≈ 370/s, DESIGN.md §5) on one centre
 * process, TAC check included. Online fee: p95 ≤ 50 ms over HTTP, far inside the station's 1 s
 * online-fee timeout.
 */
const INGEST_GOAL_PER_S = 370;
const ONLINE_FEE_P95_GOAL_MS = 50;
const INGEST_RECORDS = 2000;
const INGEST_CONCURRENCY = 32;
const FEE_REQUESTS = 400;

async function withCentre<T>(dialect: DialectName, fn: (c: Centre) => Promise<T>): Promise<T> {
  const db: TestDatabase = await createTestDatabase(dialect);
  const centre = await createCentre({
    config: {
      ...loadConfig({}),
      databaseUrl: db.databaseUrl,
      dataDir: db.dataDir,
      seedCardListSize: 1000,
      pgPoolSize: 20,
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

async function ingestRate(dialect: DialectName): Promise<{ perS: number; rawPerS: number }> {
  return withCentre(dialect, async (centre) => {
    const station = (await centre.services.tariffs.activeAt()).network.stations[5]!;
    const base = Date.parse('2026-11-23T02:00:00Z');
    const records = Array.from({ length: INGEST_RECORDS }, (_, i) =>
      testRecord({ station, exTime: new Date(base + i * 1000), serial: i + 1, fee: 1000 + (i % 5000) }),
    );
    // Over HTTP (in-process inject): routing, checkExitRecord, digest, TAC, insert, ack.
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: INGEST_CONCURRENCY }, async () => {
        while (next < records.length) {
          const r = records[next++]!;
          const res = await centre.app.inject({
            method: 'POST',
            url: '/records',
            payload: r,
            headers: { 'idempotency-key': r.id, [TEST_PEER_HEADER]: r.exTollStationId },
          });
          if (res.statusCode !== 201) throw new Error(`ingest bench: ${res.statusCode} ${res.body}`);
        }
      }),
    );
    const perS = records.length / ((performance.now() - t0) / 1000);
    // Baseline: the same rows inserted raw (no checks, no TAC, no HTTP), same concurrency.
    const db = centre.services.db.db;
    const raw = records.map((r) => ({ ...r, id: `${r.id.slice(0, 21)}2026112412${r.id.slice(31)}` }));
    await centre.services.db.ops.ensureDayPartition(db, '20261124');
    next = 0;
    const t1 = performance.now();
    await Promise.all(
      Array.from({ length: INGEST_CONCURRENCY }, async () => {
        while (next < raw.length) {
          const r = raw[next++]!;
          await db
            .insertInto('exit_records')
            .values({
              exit_day: '20261124',
              trade_id: r.id,
              pass_id: r.passId,
              card_id: r.cardId,
              card_net: r.cardNet,
              ex_station_id: r.exTollStationId,
              ex_time: r.exTime,
              trans_fee: r.transFee,
              fee: r.fee,
              pay_fee: r.payFee,
              exit_fee_type: r.exitFeeType,
              tac_status: 'verified',
              digest: '',
              record_json: JSON.stringify(r),
              received_at: r.exTime,
            })
            .execute();
        }
      }),
    );
    const rawPerS = raw.length / ((performance.now() - t1) / 1000);
    return { perS, rawPerS };
  });
}

function p95(samples: number[]): number {
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * 0.95))]!;
}

async function onlineFeeP95(): Promise<{ httpP95: number; directP95: number }> {
  return withCentre('sqlite', async (centre) => {
    const t = await centre.services.tariffs.activeAt();
    const net = t.network;
    await centre.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = centre.app.server.address() as AddressInfo;
    const http: number[] = [];
    const direct: number[] = [];
    for (let i = 0; i < FEE_REQUESTS; i++) {
      const entry = net.stations[(i * 7) % net.stations.length]!.id;
      const exit = net.stations[(i * 13 + 5) % net.stations.length]!.id;
      const body = {
        passId: `019901${String(i).padStart(16, '0')}20261123080000`,
        entryStation: entry,
        exitStation: exit,
        vehicleClass: 1,
      };
      const t0 = performance.now();
      const res = await fetch(`http://127.0.0.1:${port}/online-fee`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [TEST_PEER_HEADER]: exit },
        body: JSON.stringify(body),
      });
      await res.json();
      http.push(performance.now() - t0);
      const t1 = performance.now();
      fitPath(t.tables, { entryStation: entry, exitStation: exit, vehicleClass: 1, gantries: [] });
      direct.push(performance.now() - t1);
    }
    return { httpP95: p95(http), directP95: p95(direct) };
  });
}

export async function runCentreBenchmarks(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const dialect of ['postgres', 'sqlite'] as const) {
    try {
      const r = await ingestRate(dialect);
      rows.push({
        name: `centre record ingest over HTTP (${dialect}, ${INGEST_CONCURRENCY} concurrent, TAC checked)`,
        value: Math.round(r.perS),
        unit: 'records/s',
        goal: `≥ ${INGEST_GOAL_PER_S} records/s`,
        baseline: `raw INSERT ${Math.round(r.rawPerS)} rows/s`,
        ratio: r.perS / r.rawPerS,
        pass: r.perS >= INGEST_GOAL_PER_S,
      });
    } catch (e) {
      rows.push({
        name: `centre record ingest (${dialect}) — not run: ${e instanceof Error ? e.message.slice(0, 60) : 'error'}`,
        value: 0,
        unit: 'records/s',
        pass: false,
      });
    }
  }
  const fee = await onlineFeeP95();
  rows.push({
    name: 'centre online fee p95 over HTTP (path fitting, 200-station province)',
    value: fee.httpP95,
    unit: 'ms',
    goal: `≤ ${ONLINE_FEE_P95_GOAL_MS} ms`,
    baseline: `fitPath in-process p95 ${fee.directP95.toFixed(3)} ms`,
    ratio: fee.httpP95 / Math.max(fee.directP95, 1e-6),
    pass: fee.httpP95 <= ONLINE_FEE_P95_GOAL_MS,
  });
  return rows;
}

// `tsx apps/centre/src/bench.ts` prints the rows on its own.
if (import.meta.url === `file://${process.argv[1]}`) {
  console.table(await runCentreBenchmarks());
}
