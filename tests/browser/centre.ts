import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { TRAINING_VEHICLES, trainingGreenListEntries } from '@tollpad/card/sim';
import type { AnyExitRecord, ArrearsEntry, GreenInspectionUpload } from '@tollpad/domain';
import { fitPath, type Network } from '@tollpad/tariff';
import { type Centre, createCentre } from '../../apps/centre/src/centre';
import { loadConfig } from '../../apps/centre/src/config';
import { testJpeg } from '../../apps/centre/src/testing/test-jpeg';
import { prepareCentreLink } from '../../scripts/sim/centre-link';
import { postTripEvidence } from '../../scripts/sim/evidence';
import { api, useFetchFor } from '../../scripts/sim/http';
import { planTrip, postPassages } from '../../scripts/sim/trip';
import { trainingNoCardSpec } from '../../scripts/sim/trip-none';

/** TEST card on the centre's card status list (type 1 挂失), as `npm start` seeds it (scripts/demo.ts). */
export const LISTED_CARD = '99010000000000000666';
/** The training no-card vehicle whose trip the centre holds (passages + entry capture): the fee by plate. */
export const NOCARD_SEEN = trainingNoCardSpec('none-seen')!;

/**
 * The REAL reference centre (apps/centre createCentre, in this process) on mutual TLS with its own CA, SQLite in
 * `dir`, the synthetic TEST province, seeded as `npm start` seeds it: the training arrears and the chase list
 * (the centre's own seed), the card list with LISTED_CARD, the green-channel appointments and bans published
 * through its list API, and the none-seen plate's trip (gantry passages, entry capture, photos) through its
 * station-facing API as the trip CLI posts them. A test asks it through `fetch` (the launcher's TEST publisher
 * certificate); the station is started with `stationEnv` (its own TEST certificate, CN = the demo station).
 */
export interface RunningCentre {
  url: string;
  centre: Centre;
  network: Network;
  /** `fetch` to the centre over mutual TLS as the TEST publisher. */
  fetch: typeof fetch;
  /** The station's CENTRE_* settings: the centre CA, its client certificate and the publisher's key. */
  stationEnv: Record<string, string>;
  close(): Promise<void>;
}

export async function startCentre(
  dir: string,
  exitStationId: (net: Network) => string,
): Promise<RunningCentre> {
  const dataDir = join(dir, 'centre');
  const link = await prepareCentreLink(dataDir);
  const config = {
    ...loadConfig({}),
    dataDir,
    databaseUrl: undefined,
    tlsDir: link.tlsDir,
    tlsHosts: ['127.0.0.1', 'localhost'],
    seedCardListSize: 50,
    seedCardEntries: [{ key: LISTED_CARD, type: 1 }],
    listDeltaMinutes: 0,
  };
  const centre = await createCentre({ config, logger: false });
  try {
    await centre.app.listen({ port: 0, host: '127.0.0.1' });
    const url = `https://127.0.0.1:${(centre.app.server.address() as AddressInfo).port}`;
    const network = (await centre.services.tariffs.activeAt()).network;
    // scripts/sim/http's `api` reaches the centre with the publisher's certificate from here on.
    useFetchFor(url, link.fetch);
    await publishGreenLists(url);
    await postNoCardTrip(url, network, exitStationId(network));
    return {
      url,
      centre,
      network,
      fetch: link.fetch,
      stationEnv: { CENTRE_URL: url, ...(await link.stationEnv(url)) },
      close: () => centre.close(),
    };
  } catch (e) {
    await centre.close();
    throw e;
  }
}

/** As scripts/demo.ts: the 绿通 training plates, the green-* trucks' appointments and the ban (TEST). */
async function publishGreenLists(url: string): Promise<void> {
  const etc = TRAINING_VEHICLES.filter((x) => x.greenChannel).map((v) => ({
    key: `${v.plate}_${v.colour}`,
    type: 1,
    action: 'add',
  }));
  const green = trainingGreenListEntries();
  await api(url, 'POST', '/lists/vehicle-green/changes', {
    body: { changes: [...etc, ...green.appointments.map((e) => ({ ...e, action: 'add' }))] },
  });
  await api(url, 'POST', '/lists/vehicle-green/cut');
  await api(url, 'POST', '/lists/vehicle-green-ban/changes', {
    body: { changes: green.bans.map((e) => ({ ...e, action: 'add' })) },
  });
  await api(url, 'POST', '/lists/vehicle-green-ban/cut');
}

/** As `npm run trip -- none-seen`: the plate's trip to the demo station, entered 3 stations back 2 h ago. */
async function postNoCardTrip(url: string, net: Network, exitStationId: string): Promise<void> {
  const now = new Date();
  const plan = planTrip(net, {
    exitStationId,
    offset: 3,
    vehicleClass: NOCARD_SEEN.vehicleClass,
    entryTime: new Date(now.getTime() - 2 * 3_600_000),
    exitTime: now,
    cardNumber: '00000000000000000000',
  });
  await postPassages(url, plan, NOCARD_SEEN.vehicleClass, NOCARD_SEEN.plate);
  await postTripEvidence(url, plan, NOCARD_SEEN.plate, NOCARD_SEEN.colour);
}

/** Polls `GET path` at the centre (as the publisher) until it answers 200; its JSON. */
async function until200<T>(c: RunningCentre, path: string, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await c.fetch(`${c.url}${path}`);
    if (res.status === 200) return (await res.json()) as T;
    await res.body?.cancel();
    if (Date.now() > deadline) throw new Error(`${what} never reached the centre (last HTTP ${res.status})`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The exit record the centre accepted from the station's relay (`GET /records/:tradeId`). */
export async function centreRecord(c: RunningCentre, tradeId: string): Promise<AnyExitRecord> {
  const r = await until200<{ record: AnyExitRecord }>(c, `/records/${tradeId}`, `record ${tradeId}`);
  return r.record;
}

/** The 绿通查验 the centre linked to a record (`GET /records/:tradeId/green-inspection`). */
export function centreGreenInspection(c: RunningCentre, tradeId: string): Promise<GreenInspectionUpload> {
  return until200(c, `/records/${tradeId}/green-inspection`, `the inspection of ${tradeId}`);
}

/** The plate's open arrears entries at the centre (`GET /arrears/:plate`). */
export async function centreOpenArrears(
  c: RunningCentre,
  plate: string,
  colour = 0,
): Promise<ArrearsEntry[]> {
  const res = await c.fetch(`${c.url}/arrears/${encodeURIComponent(plate)}?colour=${colour}`);
  if (!res.ok) throw new Error(`arrears of ${plate}: HTTP ${res.status}`);
  return ((await res.json()) as { entries: ArrearsEntry[] }).entries;
}

/**
 * The vehicle's entry on the chase list as a station would next sync it: the changes queued at the centre are
 * cut into a delta first (the 5-minute tick, here on demand), then `GET /lists/vehicle-chase/lookup/:key`.
 */
export async function centreChaseListing(
  c: RunningCentre,
  vehicleId: string,
): Promise<{ type: number; reason: string } | null> {
  const cut = await c.fetch(`${c.url}/lists/vehicle-chase/cut`, { method: 'POST' });
  if (!cut.ok) throw new Error(`cut vehicle-chase: HTTP ${cut.status}`);
  await cut.body?.cancel();
  const res = await c.fetch(`${c.url}/lists/vehicle-chase/lookup/${encodeURIComponent(vehicleId)}`);
  if (!res.ok) throw new Error(`chase lookup ${vehicleId}: HTTP ${res.status}`);
  return ((await res.json()) as { hit: { type: number; reason: string } | null }).hit;
}

/** An arrears entry in the centre's book, with the payback trade ID that cleared it (its own service). */
export function centreArrearsEntry(c: RunningCentre, id: string) {
  return c.centre.services.arrears.entry(id);
}

/**
 * What a gantry on the trip reports to the centre (as the trip CLI's postPassages and postTripEvidence do): the
 * first gantry of the minimum-fee path from `entryHex` to the demo station, passed by `passId` at `time`,
 * with its TEST photo. Answers the gantry's HEX (what the handheld shows).
 */
export async function postGantryPass(
  c: RunningCentre,
  o: { passId: string; entryHex: string; exitStationId: string; vehicleClass: number; time: Date },
): Promise<string> {
  const { tables } = await c.centre.services.tariffs.activeAt();
  const fit = fitPath(tables, {
    entryStation: o.entryHex,
    exitStation: o.exitStationId,
    vehicleClass: o.vehicleClass,
    gantries: [],
  });
  const gantry = fit.ok ? fit.gantries[0] : undefined;
  if (!gantry) throw new Error(`TEST: no gantry between ${o.entryHex} and ${o.exitStationId}`);
  const time = o.time.toISOString();
  await api(c.url, 'POST', '/gantry-passages', {
    body: { passages: [{ passId: o.passId, gantry: gantry.id, time, vehicleClass: o.vehicleClass }] },
  });
  await api(c.url, 'POST', '/gantry-photos', {
    body: {
      passId: o.passId,
      gantry: gantry.id,
      time,
      photo: testJpeg(`gantry ${gantry.id} ${o.passId}`).toString('base64'),
    },
  });
  return gantry.hex;
}
