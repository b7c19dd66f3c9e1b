import type { AddressInfo } from 'node:net';
import { formatPassId } from '@tollpad/domain';
import type { BenchRow } from '@tollpad/domain/bench';
import type { ExitTransaction } from '@tollpad/station-api';
import { planTrip } from '@tollpad/tariff';
import { loadDay } from '../../apps/centre/src/bench-day';
import { PLATE_FEE_P95_GOAL_MS } from '../../apps/centre/src/bench-path';
import { Tally, tallyRow } from '../../apps/centre/src/bench-tally';
import { createCentre } from '../../apps/centre/src/centre';
import { loadConfig } from '../../apps/centre/src/config';
import type { DialectName } from '../../apps/centre/src/db/database';
import { TEST_PEER_HEADER } from '../../apps/centre/src/http/peer';
import { createTestDatabase } from '../../apps/centre/src/testing/test-db';
import { centrePath } from '../../apps/station/src/ports/centre-path';
import { startHarness } from '../../apps/station/src/testing/harness';
import { collectorHandheld, plainVehicle } from '../../apps/station/src/testing/plain-vehicle';
import { configureWorld, TEST_WORLD } from '../../apps/station/src/testing/world';

/** Exits asked for (each once: the first look at an exit's path is the one the collector waits for). */
const EXITS = 200;

/**
 * #22: the path display data through the station (`GET /exits/:id/path`: the exit's row, the centre's path by
 * PassID over HTTP, the station's photo and the map positions) beside the same centre call made directly
 * (`GET /passes/:passId/path` with the station's query), the centre holding a province's day (1 M passages,
 * apps/centre/src/bench-day.ts). Each exit's card trip (its entry two hours ago, this exit) is planned on the
 * centre's network and its gantries reported to the centre, so the path fits as a real trip's does. TEST
 * data; one request at a time over loopback HTTP.
 */
async function throughStation(dialect: DialectName): Promise<{ station: Tally; centre: Tally }> {
  const cdb = await createTestDatabase(dialect);
  const centre = await createCentre({
    config: {
      ...loadConfig({}),
      databaseUrl: cdb.databaseUrl,
      dataDir: cdb.dataDir,
      seedCardListSize: 100,
      listDeltaMinutes: 0,
      logLevel: 'warn',
      plainHttp: true,
    },
    logger: false,
  });
  try {
    await loadDay(centre, dialect);
    const centreUrl = await centre.app.listen({ port: 0, host: '127.0.0.1' });
    const asStation: typeof fetch = (url, init) =>
      fetch(url, {
        ...init,
        headers: { ...(init?.headers ?? {}), [TEST_PEER_HEADER]: TEST_WORLD.stationId },
      });
    const port = centrePath(centreUrl, undefined, asStation);
    const h = await startHarness(dialect, {}, { path: port });
    try {
      await configureWorld(h);
      const hh = collectorHandheld(h);
      const net = (await centre.services.tariffs.activeAt()).network;
      const exits: { id: string; passId: string }[] = [];
      const passages: { passId: string; gantry: string; time: string; vehicleClass: number }[] = [];
      for (let i = 0; i < EXITS; i++) {
        const x = await hh.prepare(plainVehicle(h, 20_000 + i), 1);
        const created = await hh.call<ExitTransaction>('POST', '/exits', x.createBody);
        const card = created.card as {
          cardNet: string;
          cardId: string;
          entry: { time: string; stationHex: string };
        };
        const passId = formatPassId({
          media: 'card',
          cardNetwork: card.cardNet,
          cardNo: card.cardId.slice(4),
          entryTime: new Date(card.entry.time),
        });
        exits.push({ id: created.id, passId });
        const trip = planTrip(net, {
          entryStation: card.entry.stationHex,
          exitStation: TEST_WORLD.stationId,
          offset: 0,
          vehicleClass: 1,
          entryTime: new Date(card.entry.time),
          exitTime: h.clock.now,
        });
        if (!trip.ok || trip.value.passes.length === 0)
          throw new Error(`path bench: no trip ${card.entry.stationHex} → ${TEST_WORLD.stationId}`);
        for (const p of trip.value.passes)
          passages.push({ passId, gantry: p.gantryHex, time: p.time.toISOString(), vehicleClass: 1 });
      }
      await h.station.app.listen({ port: 0, host: '127.0.0.1' });
      const { port: sp } = h.station.app.server.address() as AddressInfo;
      const station = new Tally();
      const direct = new Tally();
      const q = {
        exitStation: TEST_WORLD.stationId,
        exitTime: h.clock.now.toISOString(),
        entryStation: TEST_WORLD.entryStationHex,
        vehicleClass: 1,
      };
      for (const e of exits) {
        let s = performance.now();
        const r = await port.ofPass(e.passId, q, AbortSignal.timeout(5_000));
        direct.add(
          performance.now() - s,
          !r.ok ? r.reason : r.value.fit.ok ? undefined : `code ${r.value.fit.special ?? 'none'}`,
        );
        s = performance.now();
        const res = await fetch(`http://127.0.0.1:${sp}/exits/${e.id}/path`, {
          headers: { authorization: `Bearer ${h.tokens.collector}` },
        });
        const body = (await res.json()) as {
          source?: string;
          fit?: { ok?: boolean; special?: number | null };
        };
        const ms = performance.now() - s;
        station.add(
          ms,
          res.status !== 200
            ? `HTTP ${res.status}`
            : body.source !== 'centre'
              ? `the station's own path (${body.source})`
              : body.fit?.ok
                ? undefined
                : `code ${body.fit?.special ?? 'none'}`,
        );
      }
      return { station, centre: direct };
    } finally {
      await h.close();
    }
  } finally {
    await centre.close();
    await cdb.drop();
  }
}

export async function runStationPathBenchmarks(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const dialect of ['postgres', 'sqlite'] as const) {
    try {
      const r = await throughStation(dialect);
      rows.push(
        tallyRow({
          name: `path display data through the station, GET /exits/:id/path (${dialect}, centre with 1 M passages, ${r.station.answered.of} exits)`,
          tally: r.station,
          goalMs: PLATE_FEE_P95_GOAL_MS,
          goal: `≤ ${PLATE_FEE_P95_GOAL_MS} ms [P] (#22)`,
          baseline: { label: "the centre's path by PassID asked directly", tally: r.centre },
        }),
      );
    } catch (e) {
      rows.push({
        name: `path through the station (${dialect}) — not run: ${e instanceof Error ? e.message.slice(0, 80) : 'error'}`,
        value: 0,
        unit: 'ms p95',
        pass: false,
      });
    }
  }
  return rows;
}

// `tsx tests/e2e/bench-path-station.ts` prints the rows on its own.
if (import.meta.url === `file://${process.argv[1]}`) {
  console.table(await runStationPathBenchmarks());
}
