import { issueCard, issueTestVehicleCard, type VirtualEtcCard } from '@tollpad/card/sim';
import type { Network } from '@tollpad/tariff';
import type { Prng } from './prng';

/**
 * The vehicles of the day (SYNTHETIC TEST DATA, TEST keys): each one gets its own TEST card (unique card
 * number, so the reconciliation can follow every card), drawn from the training-case mix — ordinary cars
 * and trucks on stored-value and account cards, plus the training cases (low balance, status list, plate
 * mismatch, overdue, expired, locked, OBU removed, no entry, U-turn). Shares are [P], chosen so every case
 * shows up a few hundred times in a 50,000-exit day.
 */
export type CaseId =
  | 'car-3des'
  | 'car-sm4'
  | 'account-car'
  | 'truck'
  | 'obu-ok'
  | 'low-balance'
  | 'status-list'
  | 'plate-mismatch'
  | 'overdue'
  | 'expired'
  | 'locked'
  | 'obu-removed'
  | 'no-entry'
  | 'u-turn';

interface CaseSpec {
  id: CaseId;
  /** Share in percent. */
  training: number;
  normal: number;
  vehicleClass: number;
  cardType: 'stored-value' | 'account';
  algorithm: '3des' | 'sm4' | 'either';
  /** Fen. */
  balance: number;
  entryOffset: number | null;
  entryHoursAgo: number;
  plateMismatch?: boolean;
  validUntil?: string;
  locked?: boolean;
  listed?: boolean;
  obu?: { removed: boolean };
}

/** What most cases vary from: a car on a stored-value 3DES card, entered one station back an hour ago. */
const ORDINARY = {
  vehicleClass: 1,
  cardType: 'stored-value',
  algorithm: '3des',
  balance: 200_000,
  entryOffset: 1,
  entryHoursAgo: 1,
} as const satisfies Partial<CaseSpec>;

function caseOf(
  id: CaseId,
  training: number,
  normal: number,
  differs: Partial<Omit<CaseSpec, 'id' | 'training' | 'normal'>> = {},
): CaseSpec {
  return { id, training, normal, ...ORDINARY, ...differs };
}

// The order is part of the seed's meaning (the draw walks it): append, never reorder.
const CASES: readonly CaseSpec[] = [
  caseOf('car-3des', 35, 45),
  caseOf('car-sm4', 15, 20, { algorithm: 'sm4', entryOffset: 2, entryHoursAgo: 1.5 }),
  caseOf('account-car', 20, 25, {
    cardType: 'account',
    algorithm: 'either',
    balance: 0,
    entryOffset: 3,
    entryHoursAgo: 2,
  }),
  caseOf('truck', 10, 10, {
    vehicleClass: 12,
    cardType: 'account',
    algorithm: 'sm4',
    balance: 0,
    entryOffset: 2,
    entryHoursAgo: 3,
  }),
  caseOf('obu-ok', 7, 0, { algorithm: 'either', obu: { removed: false } }),
  caseOf('low-balance', 2, 0, { balance: 1 }),
  caseOf('status-list', 1, 0, { cardType: 'account', balance: 0, listed: true }),
  caseOf('plate-mismatch', 2, 0, { plateMismatch: true }),
  caseOf('overdue', 2, 0, { entryHoursAgo: 50 }),
  caseOf('expired', 1, 0, { validUntil: '20240101' }),
  caseOf('locked', 1, 0, { locked: true }),
  caseOf('obu-removed', 2, 0, { obu: { removed: true } }),
  caseOf('no-entry', 1, 0, { entryOffset: null }),
  caseOf('u-turn', 1, 0, { entryOffset: 0, entryHoursAgo: 0.5 }),
];

/** Card serials: vehicles from 10,000,000; status-listed cards from 70,000,000; swap bystanders from 80,000,000. */
const VEHICLE_SERIAL_BASE = 10_000_000;
const LISTED_SERIAL_BASE = 70_000_000;
export const BYSTANDER_SERIAL_BASE = 80_000_000;

/** Card number of the TEST issuer (network 9901) for a serial (issueCard's default numbering). */
export function cardNumberOf(serial: number): string {
  return `9901${String(serial).padStart(16, '0')}`;
}

export interface Vehicle {
  index: number;
  caseId: CaseId;
  serial: number;
  plate: string;
  actualPlate: string;
  colour: number;
  vehicleClass: number;
  cardType: 'stored-value' | 'account';
  algorithm: '3des' | 'sm4';
  balance: number;
  entryStationHex: string | null;
  /** Entry the driver declares when the card has none (the collector types it for 【算费】). */
  declaredEntryHex: string | null;
  entryTime: Date;
  validUntil?: string;
  locked?: boolean;
  obu?: { removed: boolean };
}

const PROVINCES = '京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤川青藏琼宁';
const LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ';

/** A plate unique per vehicle index (5 digits + letter → 2.4 M per province). */
export function plateOf(index: number): string {
  const p = PROVINCES[index % PROVINCES.length]!;
  const l = LETTERS[Math.floor(index / PROVINCES.length) % LETTERS.length]!;
  const n = String(Math.floor(index / (PROVINCES.length * LETTERS.length)) % 100_000).padStart(5, '0');
  return `${p}${l}${n}`;
}

export interface VehicleWorld {
  exitStationHex: string;
  /** The exit station's 14-character ID (a CPC trip is planned to it). */
  exitStationId: string;
  /** The centre's road network (the tariff): where trips are planned. */
  network: Network;
  /** Entry station `offset` stations back on the exit's road (null when the network has none). */
  entryHex(offset: number): string | null;
  now(): Date;
}

/** The status-listed card numbers, known up front so the centre can list them at its first start. */
export function listedCardNumbers(exits: number): string[] {
  const n = Math.ceil(exits * 0.02) + 10;
  return Array.from({ length: n }, (_, i) => cardNumberOf(LISTED_SERIAL_BASE + i));
}

export function makeVehicle(
  index: number,
  rng: Prng,
  mix: 'training' | 'normal',
  world: VehicleWorld,
  listedUsed: { next: number },
): Vehicle {
  const total = CASES.reduce((a, c) => a + c[mix], 0);
  let r = rng.next() * total;
  let spec = CASES[0]!;
  for (const c of CASES) {
    r -= c[mix];
    if (r < 0) {
      spec = c;
      break;
    }
  }
  const plate = plateOf(index);
  const colour = spec.vehicleClass >= 11 ? 1 : 0;
  const serial = spec.listed ? LISTED_SERIAL_BASE + listedUsed.next++ : VEHICLE_SERIAL_BASE + index;
  const entryStationHex =
    spec.entryOffset === null
      ? null
      : spec.entryOffset === 0
        ? world.exitStationHex
        : world.entryHex(spec.entryOffset);
  return {
    index,
    caseId: spec.id,
    serial,
    plate,
    actualPlate: spec.plateMismatch ? `${plate.slice(0, -1)}${(Number(plate.slice(-1)) + 1) % 10}` : plate,
    colour,
    vehicleClass: spec.vehicleClass,
    cardType: spec.cardType,
    algorithm: spec.algorithm === 'either' ? (rng.chance(0.5) ? '3des' : 'sm4') : spec.algorithm,
    balance: spec.balance,
    entryStationHex,
    declaredEntryHex: entryStationHex ?? world.entryHex(2),
    entryTime: new Date(Math.floor((world.now().getTime() - spec.entryHoursAgo * 3_600_000) / 1000) * 1000),
    ...(spec.validUntil ? { validUntil: spec.validUntil } : {}),
    ...(spec.locked ? { locked: true } : {}),
    ...(spec.obu ? { obu: spec.obu } : {}),
  };
}

/** Issues the vehicle's TEST card, with the entry written as the entry lane would have. */
export function issueVehicleCard(v: Vehicle): VirtualEtcCard {
  const entry = v.entryStationHex ? { stationHex: v.entryStationHex, time: v.entryTime } : null;
  return issueTestVehicleCard(v, entry).card;
}

/** A card that belongs to nobody at the lane: what a flustered collector may present in a swap. */
export function issueBystanderCard(k: number): VirtualEtcCard {
  return issueCard({
    plate: `测B${String(k).padStart(5, '0')}`,
    colour: 0,
    class: 1,
    cardType: 'stored-value',
    algorithm: k % 2 === 0 ? '3des' : 'sm4',
    balance: 100_000,
    serial: BYSTANDER_SERIAL_BASE + k,
  }).card;
}
