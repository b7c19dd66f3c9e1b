/**
 * A TEST card for a simulated vehicle, with the entry written as the entry lane would have written it.
 * Shared by the demo, the trip CLI, the e2e tests, plaza-day and the handheld's training panel, so a
 * vehicle spec means the same card bytes everywhere. Synthetic test data, TEST keys.
 */
import { toBeijingSeconds } from '@tollpad/domain';
import { plateColourOf, vehicleClassOf } from '../codec/coded';
import type { Ef0019 } from '../codec/ef0019';
import { type IssuedCard, issueCard } from './issuer';

/** What the TEST issuer needs to know of a vehicle (extra fields are ignored). */
export interface TestVehicleCardSpec {
  /** Plate written on the card (the vehicle's actual plate may differ). */
  plate: string;
  colour: number;
  vehicleClass: number;
  cardType: 'stored-value' | 'account';
  algorithm: '3des' | 'sm4';
  /** Fen. */
  balance: number;
  serial: number;
  validUntil?: string;
  locked?: boolean;
}

/** Where and when the vehicle entered: an 8-hex-digit station (network + station) and the entry time. */
export interface TestEntry {
  stationHex: string;
  time: Date;
  /** 0019 accumulated amount (fen) from gantries on the way; 0 by default. */
  cumulativeAmount?: number;
}

/** The 2019-layout 0019 entry record (status 0x03, lane 1, two axles) for a vehicle. */
export function entryEf0019(v: TestVehicleCardSpec, entry: TestEntry): Ef0019 {
  return {
    layout: '2019',
    lock: 0,
    network: entry.stationHex.slice(0, 4),
    station: entry.stationHex.slice(4, 8),
    lane: 1,
    time: toBeijingSeconds(entry.time),
    vehicleClass: vehicleClassOf(v.vehicleClass),
    status: 0x03,
    gantryId: '000000',
    gantryTime: 0,
    plate: v.plate,
    plateColour: plateColourOf(v.colour),
    axles: 2,
    totalWeightKg: 0,
    vehicleStatusFlag: 0xff,
    cumulativeAmount: entry.cumulativeAmount ?? 0,
  };
}

/** Issues the vehicle's TEST card; `entry` null leaves 0019 blank (a vehicle with no entry information). */
export function issueTestVehicleCard(v: TestVehicleCardSpec, entry: TestEntry | null): IssuedCard {
  return issueCard({
    plate: v.plate,
    colour: v.colour,
    class: v.vehicleClass,
    cardType: v.cardType,
    algorithm: v.algorithm,
    balance: v.balance,
    serial: v.serial,
    ...(v.validUntil ? { validUntil: v.validUntil } : {}),
    ...(v.locked ? { locked: true } : {}),
    ...(entry ? { ef0019: entryEf0019(v, entry) } : {}),
  });
}
