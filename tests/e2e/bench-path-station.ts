import type { AddressInfo } from 'node:net';
import { formatPassId } from '@tollpad/domain';
import type { BenchRow } from '@tollpad/domain/bench';
import type { ExitTransaction } from '@tollpad/station-api';
import { fitPath } from '@tollpad/tariff';
import { loadDay, PLATE_FEE_P95_GOAL_MS } from '../../apps/centre/src/bench-path';
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
const HOUR = 3_600_000;

function p95(samples: number[]): number {
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * 0.95))]!;
}

/**
 * #22: the path display data through the station (`GET /exits/:id/path`: the exit's row, the centre's path by
 * PassID over HTTP, the station's photo and the map positions) beside the same centre call made directly
 * (`GET /passes/:passId/path` with the station's query), the centre holding a province's day (1 M passages,
 * apps/centre/src/bench-path.ts). TEST data; one request at a time over loopback HTTP.
 */
async function throughStation(dialect: DialectName): Promise<{ station: number; centre: number; n: number }> {
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
      const t = await centre.services.tariffs.activeAt();
      const fit = fitPath(t.tables, {
        entryStation: t.network.stations[0]!.id,
        exitStation: TEST_WORLD.stationId,
        vehicleClass: 1,
        gantries: [],
      });
      if (!fit.ok || fit.gantries.length === 0) throw new Error('TEST tariff: no gantry on the path');
      const exits: { id: string; passId: string }[] = [];
      for (let i = 0; i < EXITS; i++) {
        const x = await hh.prepare(plainVehicle(h, 20_000 + i), 1);
        const created = await hh.call<ExitTransaction>('POST', '/exits', x.createBody);
        const card = created.card as { cardNet: string; cardId: string; entry: { time: string } };
        const passId = formatPassId({
          media: 'card',
          cardNetwork: card.cardNet,
          cardNo: card.cardId.slice(4),
          entryTime: new Date(card.entry.time),
        });
        exits.push({ id: created.id, passId });
      }
      const time = new Date(h.clock.now.getTime() - HOUR).toISOString();
      const passages = exits.map((e) => ({ passId: e.passId, gantry: fit.gantries[0]!.hex, time }));
      const posted = await fetch(`${centreUrl}/gantry-passages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [TEST_PEER_HEADER]: 'publisher:TEST' },
        body: JSON.stringify({ passages }),
      });
      if (posted.status !== 200) throw new Error(`path bench: passages ${posted.status}`);
      await h.station.app.listen({ port: 0, host: '127.0.0.1' });
      const { port: sp } = h.station.app.server.address() as AddressInfo;
      const station: number[] = [];
      const direct: number[] = [];
      const q = {
        exitStation: TEST_WORLD.stationId,
        exitTime: h.clock.now.toISOString(),
        entryStation: t.network.stations[0]!.id,
      };
      for (const e of exits) {
        let s = performance.now();
        const r = await port.ofPass(e.passId, q, AbortSignal.timeout(5_000));
        direct.push(performance.now() - s);
        if (!r.ok) throw new Error(`path bench: centre ${r.reason}`);
        s = performance.now();
        const res = await fetch(`http://127.0.0.1:${sp}/exits/${e.id}/path`, {
          headers: { authorization: `Bearer ${h.tokens.collector}` },
        });
        const body = (await res.json()) as { source?: string };
        station.push(performance.now() - s);
        if (res.status !== 200 || body.source !== 'centre')
          throw new Error(`path bench: station ${res.status} ${JSON.stringify(body).slice(0, 120)}`);
      }
      return { station: p95(station), centre: p95(direct), n: exits.length };
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
      rows.push({
        name: `path display data through the station, GET /exits/:id/path (${dialect}, centre with 1 M passages, ${r.n} exits)`,
        value: r.station,
        unit: 'ms p95',
        goal: `≤ ${PLATE_FEE_P95_GOAL_MS} ms [P] (#22)`,
        baseline: `the centre's path by PassID asked directly p95 ${r.centre.toFixed(2)} ms`,
        ratio: r.station / Math.max(r.centre, 1e-6),
        pass: r.station <= PLATE_FEE_P95_GOAL_MS,
      });
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
