import { bytesToHex } from '@tollpad/card';
import { blankCpcImages, cpcFilesAsRead, writeCpcEntry, writeCpcGantry } from '@tollpad/card/sim';
import type { CpcRead } from '@tollpad/station-api';
import { TEST_WORLD } from './world';

/** TEST CPC area factor: 山东 in GBK (the TEST world's network is 37xx). */
export const TEST_CPC_AREA = 'C9BDB6AB';

export interface TestCpcSpec {
  /** 16 hex digits; TEST IDs start 3700FFFF. */
  cpcId: string;
  batteryPercent?: number;
  batteryLow?: boolean;
  area?: string;
  /** No entry written: a blank card (byte 23 = 00). */
  noEntry?: boolean;
  entryStation?: string;
  entryTime: Date;
  plate?: string;
  vehicleClass?: number;
  /** Gantries passed, in order (each writes the card as a real gantry would); TEST world gantries by default. */
  gantries: { hex: string; time: Date; fee: number; mileageM?: number }[];
}

/**
 * A TEST CPC as 【读卡】 sends it: a blank card issued, written by the synthetic entry and by the TEST world's
 * gantries (the card package's writers), then read as the exit reads it, as hex.
 */
export function testCpcRead(spec: TestCpcSpec): CpcRead {
  let images = blankCpcImages({
    cpcId: spec.cpcId,
    area: spec.area ?? TEST_CPC_AREA,
    batteryPercent: spec.batteryPercent ?? 80,
    ...(spec.batteryLow !== undefined ? { batteryLow: spec.batteryLow } : {}),
  });
  if (!spec.noEntry) {
    images = writeCpcEntry(images, {
      vehicleClass: spec.vehicleClass ?? 1,
      plate: spec.plate ?? '鲁A12345',
      plateColour: 0,
      station: spec.entryStation ?? TEST_WORLD.entryStationHex,
      lane: 1,
      time: spec.entryTime,
    });
  }
  for (const g of spec.gantries) {
    images = writeCpcGantry(images, {
      gantryHex: g.hex,
      province: 0x37,
      time: g.time,
      fee: g.fee,
      mileageM: g.mileageM ?? 1000,
    });
  }
  const read = cpcFilesAsRead(images);
  return {
    sysInfo: bytesToHex(read.sysInfo),
    baseInfo: bytesToHex(read.baseInfo),
    entry: bytesToHex(read.entry),
    pass: bytesToHex(read.pass),
    feeBlocks: bytesToHex(read.feeBlocks),
  };
}
