/**
 * The TEST OBU issuer: builds a VirtualObu whose system info, encrypted vehicle info and EF04 are
 * consistent with a vehicle and (optionally) the user card inserted in it. Synthetic test data only.
 */
import { bytesToHex, hexToBytes } from '../apdu/hex';
import { plateColourOf, vehicleClassOf } from '../codec/coded';
import { encodeGbk } from '../codec/gbk';
import type { ApduCard } from '../reader/reader';
import { OBU_TAMPER_INSTALLED, OBU_TAMPER_REMOVED, type ObuSystemInfo } from './ef01-system-info';
import { EF04_EXIT_OFFSET, EF04_FILE_SIZE } from './ef04-exit-region';
import { encodeVehicleInfo, type VehicleInfo, type VehicleInfoLayout } from './vehicle-info';
import { obuVehicleKey, TEST_OBU_VEHICLE_MASTER_KEY, vehicleKeyFactor } from './vehicle-info-crypto';
import { VirtualObu } from './virtual-obu';

export interface ObuVehicle {
  plate: string;
  colour: number;
  class: number;
  userType?: number;
  /** Vehicle-info layout in the OBU: legacy 59 B (default) or the 79-B proposal [P]. */
  layout?: VehicleInfoLayout;
  axles?: number;
  totalWeightKg?: number;
  seats?: number;
  vin?: string;
  description?: string;
}

export interface IssueObuOptions {
  serial?: number;
  /** GBK provider name, two Chinese characters (default 测试 → provider 测试测试). */
  providerName?: string;
  signedDate?: string;
  expiryDate?: string;
  tampered?: boolean;
  locked?: boolean;
  batteryLow?: boolean;
  ef04?: Uint8Array;
  masterKey?: Uint8Array;
}

export function vehicleInfoFor(v: ObuVehicle): VehicleInfo {
  const common = {
    plate: v.plate,
    plateColour: plateColourOf(v.colour),
    vehicleClass: vehicleClassOf(v.class),
    vehicleUserType: v.userType ?? 0,
    length: 48,
    width: 18,
    height: 15,
    description: v.description ?? 'TEST',
  };
  if ((v.layout ?? 'legacy59') === 'legacy59') {
    return {
      layout: 'legacy59',
      ...common,
      wheels: (v.axles ?? 2) * 2,
      axles: v.axles ?? 2,
      wheelbase: 27,
      loadOrSeats: v.totalWeightKg ?? v.seats ?? 5,
      engineNumber: 'TEST0001',
    };
  }
  return {
    layout: 'v79',
    ...common,
    ratedLoadKg: 0,
    curbWeightKg: 0,
    totalWeightKg: v.totalWeightKg ?? 0,
    seats: v.seats ?? 5,
    vin: v.vin ?? 'TESTVIN0000000001',
    reserved: '00'.repeat(16),
  };
}

/**
 * EF04 as an exit lane would find it after the entry: the region's copies of 0019 bytes 0–38 and 0015
 * bytes 0–19 taken from the card (read with its own APDUs at issuance), everything else zero.
 */
function ef04FromCard(card: ApduCard): Uint8Array {
  const ef04 = new Uint8Array(EF04_FILE_SIZE);
  card.powerOn();
  try {
    const ok = (r: Uint8Array) => r.length >= 2 && r[r.length - 2] === 0x90 && r[r.length - 1] === 0x00;
    if (!ok(card.transmit(hexToBytes('00A40000021001')))) return ef04;
    let r0015 = card.transmit(hexToBytes('00B0950032'));
    if (r0015[r0015.length - 2] === 0x6c) r0015 = card.transmit(hexToBytes('00B095002B'));
    const r0019 = card.transmit(hexToBytes('00B201CC2B'));
    if (ok(r0019) && r0019.length >= 41) ef04.set(r0019.subarray(0, 39), EF04_EXIT_OFFSET);
    if (ok(r0015) && r0015.length >= 22) ef04.set(r0015.subarray(0, 20), EF04_EXIT_OFFSET + 39);
    return ef04;
  } finally {
    card.powerOff();
  }
}

/** Issues a TEST OBU for `vehicle`, with `card` (e.g. issueCard(...).card) inserted when given. */
export function issueObu(vehicle: ObuVehicle, card?: ApduCard, o: IssueObuOptions = {}): VirtualObu {
  const serial = o.serial ?? 1;
  const head = bytesToHex(encodeGbk('OBU-EF01', o.providerName ?? '测试', 0, 4));
  const systemInfo: ObuSystemInfo = {
    provider: head + head,
    providerName: o.providerName ?? '测试',
    contractType: 0x01,
    contractVersion: 0x16,
    contractSerial: serial.toString(16).toUpperCase().padStart(16, '0'),
    signedDate: o.signedDate ?? '20200101',
    expiryDate: o.expiryDate ?? '20391231',
    tamperStatus: o.tampered ? OBU_TAMPER_REMOVED : OBU_TAMPER_INSTALLED,
  };
  const factor = vehicleKeyFactor(hexToBytes(systemInfo.contractSerial), hexToBytes(systemInfo.provider));
  const mac = Uint8Array.of(0x02, (serial >> 16) & 0xff, (serial >> 8) & 0xff, serial & 0xff);
  return new VirtualObu({
    obuMac: mac,
    systemInfo,
    vehicleInfo: encodeVehicleInfo(vehicleInfoFor(vehicle)),
    vehicleKey: obuVehicleKey(o.masterKey ?? TEST_OBU_VEHICLE_MASTER_KEY, factor),
    ef04: o.ef04 ?? (card ? ef04FromCard(card) : new Uint8Array(EF04_FILE_SIZE)),
    ...(card ? { card } : {}),
    locked: o.locked ?? false,
    batteryLow: o.batteryLow ?? false,
  });
}
