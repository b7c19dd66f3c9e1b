import { lookupMinFee } from '@tollpad/tariff';
import type { ClientJob } from './bench-client';
import type { Harness } from './testing/harness';
import { SimHandheld, type VehicleSpec } from './testing/sim-handheld';
import { configureWorld, TEST_WORLD, testReference } from './testing/world';

/** The bench is one client address making thousands of requests a second: rate limits out of the way. */
export const BENCH_LIMITS = { rateLimitPerMinute: 100_000_000, rateLimitPerAddressPerMinute: 100_000_000 };

/** This process's user + system CPU time (ms). */
export const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

export function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? Number.NaN;
}

/** The simulated handhelds of one station: registered, logged in, warmed up with live cards. */
export interface Fleet {
  handhelds: SimHandheld[];
  /** The fee every bench vehicle pays (the same tariff case). */
  fee: number;
  /** A new TEST vehicle on a card serial of its own. */
  vehicle(): VehicleSpec;
  /** A load-generator job against `baseUrl`; its vehicles get card serials of their own. */
  clientJob(baseUrl: string, exitsPerHandheld: number, extra?: Partial<ClientJob>): ClientJob;
}

export async function startFleet(h: Harness, count: number): Promise<Fleet> {
  await configureWorld(h);
  const m = lookupMinFee(testReference().tariff.tables, TEST_WORLD.entryStationHex, TEST_WORLD.stationId, 1);
  if (!m.ok || !m.value.reachable) throw new Error('TEST tariff');
  const fee95 = m.value.fee95;
  const handhelds: SimHandheld[] = [];
  const lanes: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = `HH-BENCH-${i}`;
    const psam = `0152${i.toString(16).toUpperCase().padStart(8, '0')}`;
    const lane = await benchLane(h, i);
    await h.station.services.config.putTerminal(
      { id, psamTerminalNo: psam, description: 'bench (TEST)', enabled: true },
      'bench',
    );
    const { token } = await h.station.services.auth.login('test-collector', 'test-password-TEST', id);
    handhelds.push(new SimHandheld(h.http, token, lane, psam, () => h.clock.now));
    lanes.push(lane);
  }
  let serial = 1;
  // The TEST status list holds card …666: skip it, a listed card needs a monitor's release.
  const listed = Number(TEST_WORLD.listedCardId.slice(-6));
  const nextSerial = () => {
    if (serial === listed) serial++;
    return serial++;
  };
  const template = {
    plate: '浙A12345',
    colour: 0,
    vehicleClass: 1,
    balance: 1_000_000,
    entryStationHex: TEST_WORLD.entryStationHex,
    obuDiscountTotal: fee95,
  };
  const vehicle = (): VehicleSpec => ({
    ...template,
    serial: nextSerial(),
    cardType: serial % 2 === 0 ? 'stored-value' : 'account',
    entryTime: new Date(h.clock.now.getTime() - 3600_000),
  });
  // Warm-up with live cards (photo upload, PSAM open); it also tells the fee every vehicle will pay. One
  // handheld at a time: the photo decoder takes a bounded queue, and 50 first uploads at once overflow it.
  let fee = 0;
  for (const hh of handhelds) fee = (await hh.runExit(vehicle())).fee;
  const warmupPerHandheld = 10;
  return {
    handhelds,
    fee,
    vehicle,
    clientJob(baseUrl, exitsPerHandheld, extra = {}) {
      const job: ClientJob = {
        baseUrl,
        handhelds: handhelds.map((hh, i) => ({
          token: hh.token,
          psam: hh.psamTerminalNo,
          laneId: lanes[i] as string,
        })),
        clockIso: h.clock.now.toISOString(),
        vehicle: { ...template, entryTime: new Date(h.clock.now.getTime() - 3600_000).toISOString() },
        firstSerial: serial,
        skipSerial: listed,
        fee,
        warmupPerHandheld,
        exitsPerHandheld,
        ...extra,
      };
      serial += count * (exitsPerHandheld + warmupPerHandheld) + 2;
      return job;
    },
  };
}

/**
 * Handheld i's lane, enabled: each handheld works a lane of its own, as on a plaza. A lane's trade IDs are
 * one sequence (its serial row is locked from a debit intent's allocation to its commit), which caps one
 * lane at a few hundred exits per second on PostgreSQL: far above the one vehicle every few seconds a lane
 * passes, and not the station's limit.
 */
async function benchLane(h: Harness, i: number): Promise<string> {
  const seq = String(11 + i).padStart(2, '0');
  const id = `${TEST_WORLD.plazaId}${seq}0`;
  const hex = `${TEST_WORLD.stationHex}${(0x10 + i).toString(16).toUpperCase().padStart(2, '0')}`;
  await h.station.services.config.putLane({ id, hex, name: `出口${seq} (bench, TEST)` }, 'bench');
  await h.station.services.config.setLaneEnabled(id, true, 'bench');
  return id;
}
