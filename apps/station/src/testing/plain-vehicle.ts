import { lookupMinFee } from '@tollpad/tariff';
import type { Harness } from './harness';
import type { VehicleSpec } from './sim-handheld';
import { TEST_WORLD, testReference } from './world';

/**
 * A TEST vehicle whose exit needs no monitor: class 1 with an entry two hours ago and the OBU's total at
 * the minimum fee's 95 % (so the online fee is within its band).
 */
export function plainVehicle(h: Harness, serial: number): VehicleSpec {
  const m = lookupMinFee(testReference().tariff.tables, TEST_WORLD.entryStationHex, TEST_WORLD.stationId, 1);
  if (!m.ok || !m.value.reachable) throw new Error('TEST tariff: no min fee');
  return {
    serial,
    plate: '京A12345',
    colour: 0,
    vehicleClass: 1,
    cardType: 'stored-value',
    balance: 100_000,
    entryStationHex: TEST_WORLD.entryStationHex,
    entryTime: new Date(h.clock.now.getTime() - 2 * 3600_000),
    obuDiscountTotal: m.value.fee95,
  };
}
