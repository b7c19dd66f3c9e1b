import { lookupMinFee } from '@tollpad/tariff';
import type { Harness } from './harness';
import { SimHandheld, type VehicleSpec } from './sim-handheld';
import { TEST_WORLD, testReference } from './world';

/** A TEST class-1 stored-value car with its entry two hours ago and no OBU total (`over` changes any of it). */
export function testVehicle(h: Harness, serial: number, over: Partial<VehicleSpec> = {}): VehicleSpec {
  return {
    serial,
    plate: '京A12345',
    colour: 0,
    vehicleClass: 1,
    cardType: 'stored-value',
    balance: 100_000,
    entryStationHex: TEST_WORLD.entryStationHex,
    entryTime: new Date(h.clock.now.getTime() - 2 * 3600_000),
    ...over,
  };
}

/**
 * A TEST vehicle whose exit needs no monitor: {@link testVehicle} with the OBU's total at the minimum fee's
 * 95 % (so the online fee is within its band).
 */
export function plainVehicle(h: Harness, serial: number, over: Partial<VehicleSpec> = {}): VehicleSpec {
  const m = lookupMinFee(testReference().tariff.tables, TEST_WORLD.entryStationHex, TEST_WORLD.stationId, 1);
  if (!m.ok || !m.value.reachable) throw new Error('TEST tariff: no min fee');
  return testVehicle(h, serial, { obuDiscountTotal: m.value.fee95, ...over });
}

/** The TEST collector's simulated handheld at the TEST lane, on the harness's clock. */
export function collectorHandheld(h: Harness): SimHandheld {
  return new SimHandheld(h.http, h.tokens.collector, TEST_WORLD.laneId, TEST_WORLD.psam, () => h.clock.now);
}
