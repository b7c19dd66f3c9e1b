import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type IssuedCard,
  issueTestVehicleCard,
  type TrainingVehicleSpec,
  trainingVehicleSpec,
} from '@tollpad/card/sim';
import { caPaths, rawHttp, rawRequest } from '@tollpad/server-kit';
import type { LoginResult } from '@tollpad/station-api';
import { loadTariff, type Network } from '@tollpad/tariff';
import { writeStationCredentials } from '../../apps/centre/src/tls/centre-credentials';
import type { SimHandheld } from '../../scripts/sim/handheld';
import { useFetchFor } from '../../scripts/sim/http';
import { type Proc, type RunningSystem, startSystem, startTsx } from '../../scripts/sim/processes';
import { postPassages } from '../../scripts/sim/trip';
import { DEMO, demoHandheld, hourTrip } from '../e2e/world';
import { perSuite } from '../per-suite';

export { DEMO };

/** TEST card on the centre's card status list, as `npm start` seeds it (scripts/demo.ts). */
const STATUS_LIST_CARD = '99010000000000000666:1';

/**
 * The whole demo topology as `npm start` brings it up (scripts/demo.ts through startSystem): the centre on
 * mutual TLS with its own CA, the station on HTTPS from its own CA with the demo seed, the station's
 * embedded MQTT broker admitting only its accounts, the lane simulator, and the handheld page server (here
 * in a process of its own, so that a request that would end it shows). Free ports, a temp data directory.
 * What a test gets is what a stranger on the network could learn or a legitimate party holds: URLs, CA
 * certificates (public), and the credentials of whoever a test plays.
 */
export interface Topology {
  readonly dataDir: string;
  readonly sys: RunningSystem;
  readonly stationUrl: string;
  readonly stationPort: number;
  /** The station CA certificate (PEM): what a phone is told to trust. */
  readonly stationCa: string;
  /** `fetch` trusting the station CA. */
  readonly stationFetch: typeof fetch;
  readonly centreUrl: string;
  readonly centrePort: number;
  /** The centre CA certificate (PEM): public, what any client trusts the centre's server certificate by. */
  readonly centreCa: string;
  /** The centre's CA directory (to issue a client certificate a test party holds). */
  readonly centreTlsDir: string;
  /** `fetch` as the launcher's TEST publisher (mutual TLS). */
  readonly publisherFetch: typeof fetch;
  /**
   * A station's TEST client certificate from the centre CA, as the installer gives each station (the demo
   * station's own, or another station's: a party the centre knows, but not as this station).
   */
  stationCredentials(stationId: string): Promise<{ ca: string; cert: string; key: string }>;
  readonly pageUrl: string;
  readonly pagePort: number;
  readonly laneSimUrl: string;
  readonly laneSimPort: number;
  readonly mqttUrl: string;
  readonly stationId: string;
  readonly laneId: string;
  /** Every lane of the demo station (the second one is seeded but not handheld-enabled). */
  readonly laneIds: readonly string[];
  /** TEST MQTT passwords by username, as the demo hands them out (a lane controller holds its own). */
  mqttPasswords(): Record<string, string>;
  /** Names of the processes that have ended (empty while every server is up). */
  ended(): string[];
  /** Each server's answer to a health probe over its own transport: name → status (0 = no answer). */
  health(): Promise<Record<string, number>>;
  stop(): Promise<void>;
}

const READY_PAGE = /page server (https:\/\/\S+)/;

async function startTopology(): Promise<Topology> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tollpad-hostile-'));
  const sys = await startSystem({
    dataDir,
    centrePort: 0,
    stationPort: 0,
    laneControlPort: 0,
    mqttPort: 0,
    seedCardEntries: STATUS_LIST_CARD,
    stationTls: true,
  });
  let page: Proc | undefined;
  try {
    const caFile = sys.stationCaFile;
    if (!caFile) throw new Error('the station does not serve HTTPS');
    page = startTsx('page-server', 'tests/hostile/handheld-page-server.ts', {
      STATION_URL: sys.stationUrl,
      STATION_CA_FILE: caFile,
    });
    const pageUrl = (await page.waitFor(READY_PAGE, 60_000))[1]!;
    const stationCa = readFileSync(caFile, 'utf8');
    const centreTlsDir = join(dataDir, 'centre', 'tls');
    const centreCa = readFileSync(caPaths(centreTlsDir).cert, 'utf8');
    useFetchFor(sys.stationUrl, sys.stationFetch);
    useFetchFor(pageUrl, sys.stationFetch);
    const admin = await loginToken(sys.stationFetch, sys.stationUrl, DEMO.admin);
    const lanes = (await (
      await sys.stationFetch(`${sys.stationUrl}/config/lanes`, {
        headers: { authorization: `Bearer ${admin}` },
      })
    ).json()) as { id: string }[] | { lanes: { id: string }[] };
    const laneIds = (Array.isArray(lanes) ? lanes : lanes.lanes).map((l) => l.id);
    const procs = (): Proc[] => [sys.procs.centre, sys.procs.station, sys.procs.laneSim, page!];
    const port = (url: string) => Number(new URL(url).port);
    const topology: Topology = {
      dataDir,
      sys,
      stationUrl: sys.stationUrl,
      stationPort: port(sys.stationUrl),
      stationCa,
      stationFetch: sys.stationFetch,
      centreUrl: sys.centreUrl,
      centrePort: port(sys.centreUrl),
      centreCa,
      centreTlsDir,
      publisherFetch: sys.centreFetch,
      async stationCredentials(stationId) {
        const files = await writeStationCredentials(
          centreTlsDir,
          stationId,
          join(dataDir, 'hostile-clients'),
        );
        return {
          ca: readFileSync(files.caFile, 'utf8'),
          cert: readFileSync(files.certFile, 'utf8'),
          key: readFileSync(files.keyFile, 'utf8'),
        };
      },
      pageUrl,
      pagePort: port(pageUrl),
      laneSimUrl: sys.laneSimUrl,
      laneSimPort: port(sys.laneSimUrl),
      mqttUrl: sys.mqttUrl,
      stationId: sys.stationId,
      laneId: sys.laneId,
      laneIds,
      mqttPasswords: () =>
        JSON.parse(readFileSync(join(dataDir, 'mqtt', 'credentials.json'), 'utf8')) as Record<string, string>,
      ended: () =>
        procs()
          .filter((p) => p.child.exitCode !== null || p.child.signalCode !== null)
          .map((p) => p.name),
      async health() {
        const tls = (ca: string) => ({ ca });
        const probe = async (port: number, path: string, t?: { ca: string }) =>
          (await rawRequest(port, rawHttp('GET', path), 10_000, t).catch(() => null))?.status ?? 0;
        return {
          station: await probe(topology.stationPort, '/healthz', tls(stationCa)),
          centre: await probe(topology.centrePort, '/healthz', tls(centreCa)),
          page: await probe(topology.pagePort, '/healthz', tls(stationCa)),
          laneSim: await probe(topology.laneSimPort, '/lanes'),
        };
      },
      async stop() {
        await page?.stop();
        await sys.stop();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
    return topology;
  } catch (e) {
    await page?.stop();
    await sys.stop();
    rmSync(dataDir, { recursive: true, force: true });
    throw e;
  }
}

/** One topology for the tests of the enclosing `describe` (a getter: it exists once `beforeAll` ran). */
export function useTopology(): () => Topology {
  return perSuite(startTopology, (t) => t.stop());
}

/** What one genuine exit through the demo station needs: see {@link carAtTheExit}. */
export interface CarAtTheExit {
  /** The tariff the centre publishes. */
  readonly network: Network;
  readonly car: TrainingVehicleSpec;
  /** The car's TEST card, its entry written two stations away an hour ago. */
  readonly card: IssuedCard;
  /** The demo collector's simulated handheld at the demo lane, logged in with its shift open. */
  readonly hh: SimHandheld;
}

/** The TEST training car at the demo lane: entered an hour ago, its gantry passages posted to the centre. */
export async function carAtTheExit(t: Topology): Promise<CarAtTheExit> {
  const tariff = loadTariff(await (await t.publisherFetch(`${t.centreUrl}/tariffs/current`)).text());
  if (!tariff.ok) throw new Error('the centre serves no tariff');
  const car = trainingVehicleSpec('car')!;
  const plan = hourTrip(tariff.value, t.stationId, 2, {
    vehicleClass: car.vehicleClass,
    cardNumber: issueTestVehicleCard(car, null).cardNumber,
  });
  await postPassages(t.centreUrl, plan, car.vehicleClass);
  const card = issueTestVehicleCard(car, { stationHex: plan.entryStationHex, time: plan.entryTime });
  const hh = await demoHandheld(t, t.laneId);
  return { network: tariff.value, car, card, hh };
}

/** Logs in over the API as anyone would; the session token. */
export async function loginToken(
  f: typeof fetch,
  stationUrl: string,
  who: { username: string; password: string; terminalId?: string },
): Promise<string> {
  const res = await f(`${stationUrl}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(who),
  });
  const body = (await res.json()) as Partial<LoginResult>;
  if (!res.ok || !body.token) throw new Error(`login ${who.username}: ${res.status} ${JSON.stringify(body)}`);
  return body.token;
}
