import { describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytes } from '../../apdu/hex';
import { CodecError } from '../../codec/errors';
import {
  CPC_WORKED_EXAMPLE_HEX as HEX,
  CPC_WORKED_EXAMPLE_TRIP as TRIP,
} from '../../fixtures/cpc-worked-example';
import { decodeCpcFiles } from '../codec/cpc-files';
import { dateToCpcSeconds } from '../cpc-time';
import { blankCpcImages } from './blank';
import { CPC_IMAGE_SIZES, cpcFilesAsRead } from './cpc-images';
import { writeCpcEntry } from './entry';
import { blankCpcFeeBlock } from './faults';
import { type CpcGantryPass, writeCpcGantry } from './gantry';

const hex = (s: string) => bytesToHex(hexToBytes(s));

const passes: CpcGantryPass[] = TRIP.gantries.map((g) => ({
  gantryHex: g.gantry,
  province: g.province,
  time: new Date(g.time * 1000),
  fee: g.fee,
  mileageM: g.mileageM,
  ...('border' in g ? { border: g.border } : {}),
}));

function entered() {
  const blank = blankCpcImages({ cpcId: TRIP.cpcId, area: TRIP.area, batteryPercent: TRIP.batteryPercent });
  return writeCpcEntry(blank, {
    vehicleClass: TRIP.vehicleClass,
    plate: TRIP.plate,
    plateColour: TRIP.plateColour,
    station: TRIP.entryStation,
    lane: TRIP.entryLane,
    time: TRIP.entryTime,
    operatorId: TRIP.operatorId,
    shift: TRIP.shift,
  });
}

function trip(list: readonly CpcGantryPass[] = passes) {
  return list.reduce((card, p) => writeCpcGantry(card, p), entered());
}

describe('the §9 trip written through the synthetic entry and gantries', () => {
  it('yields exactly the §9 bytes', () => {
    const card = trip();
    const read = cpcFilesAsRead(card);
    expect(bytesToHex(read.sysInfo)).toBe(hex(HEX.sysInfo));
    expect(bytesToHex(read.baseInfo)).toBe(hex(HEX.baseInfo));
    expect(bytesToHex(read.entry)).toBe(hex(HEX.entry));
    expect(bytesToHex(read.pass)).toBe(hex(HEX.pass));
    expect(bytesToHex(read.feeBlocks)).toBe(hex(HEX.feeBlocks));
    // The rest of each file: 00 (entry bytes 39–127, EF02 after 101, EF04 after block 2).
    expect(card.entry.subarray(39).every((b) => b === 0)).toBe(true);
    expect(card.pass.subarray(101).every((b) => b === 0)).toBe(true);
    expect(card.feeBlocks.subarray(46).every((b) => b === 0)).toBe(true);
    expect(dateToCpcSeconds(TRIP.entryTime)).toBe(0x663d5c78);
  });

  it('makes images of the re-initialisation sizes', () => {
    const card = trip();
    expect({
      sysInfo: card.sysInfo.length,
      baseInfo: card.baseInfo.length,
      entry: card.entry.length,
      pass: card.pass.length,
      feeBlocks: card.feeBlocks.length,
    }).toEqual({ sysInfo: 30, baseInfo: 64, entry: 128, pass: 512, feeBlocks: 512 });
    expect(CPC_IMAGE_SIZES.feeBlocks).toBe(512);
  });

  it('a blank card has never been entered; the writers do not touch their input', () => {
    const blank = blankCpcImages({ cpcId: TRIP.cpcId, area: TRIP.area, batteryPercent: 15 });
    const before = bytesToHex(blank.entry) + bytesToHex(blank.baseInfo);
    const card = decodeCpcFiles(cpcFilesAsRead(blank));
    expect(card.entry).toMatchObject({ hasLiveEntry: false, radioControl: 0, inOut: 0, entryTime: null });
    expect(card.base).toMatchObject({ batteryPercent: 15, batteryLow: true, radioOn: false });
    expect(card.pass.provinceCount).toBe(0);
    writeCpcEntry(blank, {
      vehicleClass: 1,
      plate: '甘A1',
      plateColour: 0,
      station: '62010A1B',
      lane: 1,
      time: new Date(),
    });
    expect(bytesToHex(blank.entry) + bytesToHex(blank.baseInfo)).toBe(before);
  });

  it('a new entry clears the previous trip’s path and fees', () => {
    const old = trip();
    const again = writeCpcEntry(old, {
      vehicleClass: 2,
      plate: '甘B22222',
      plateColour: 1,
      station: '62010A1B',
      lane: 7,
      time: TRIP.exitTime,
    });
    expect(again.pass.every((b) => b === 0)).toBe(true);
    expect(again.feeBlocks.every((b) => b === 0)).toBe(true);
    const card = decodeCpcFiles(cpcFilesAsRead(again));
    expect(card.entry).toMatchObject({
      plate: '甘B22222',
      station: '62010A1B',
      lane: 7,
      inOut: 1,
      hasLiveEntry: true,
    });
    expect(card.blocks).toEqual([]);
    expect(
      writeCpcEntry(
        old,
        { ...card.entry, vehicleClass: 1, plateColour: 0, time: TRIP.exitTime },
        { inOutEntered: 0x11 },
      ).entry[24],
    ).toBe(0x11);
  });
});

describe('gantry faults', () => {
  it('a missed gantry leaves its fee and HEX off the card', () => {
    const list = passes.map((p) => (p.gantryHex === '700033' ? { ...p, missed: true } : p));
    const card = decodeCpcFiles(cpcFilesAsRead(trip(list)));
    expect(card.pass.gantries).toEqual(['700021', '700045']);
    expect(card.blocks[1]).toMatchObject({ gantryCount: 2, fee: 2530 - 750, mileageM: 25_400 - 7_600 });
  });

  it('a failed fitting sets the flag; a later success clears it', () => {
    const failedLast = passes.map((p, i) => (i === passes.length - 1 ? { ...p, fitFailed: true } : p));
    expect(decodeCpcFiles(cpcFilesAsRead(trip(failedLast))).blocks.map((b) => b.fitFailed)).toEqual([
      false,
      true,
    ]);
    const failedEarlier = passes.map((p) => (p.gantryHex === '700033' ? { ...p, fitFailed: true } : p));
    expect(decodeCpcFiles(cpcFilesAsRead(trip(failedEarlier))).blocks.map((b) => b.fitFailed)).toEqual([
      false,
      false,
    ]);
  });

  it('a lost province block reads as an empty block while EF02 still counts it', () => {
    const card = decodeCpcFiles(cpcFilesAsRead(blankCpcFeeBlock(trip(), 1, 0xff)));
    expect(card.pass.provinceCount).toBe(2);
    expect(card.blocks.map((b) => b.empty)).toEqual([true, false]);
    expect(() => blankCpcFeeBlock(trip(), 3)).toThrow(CodecError);
  });

  it('refuses a province sum that outgrows 3 bytes and a 23rd province', () => {
    const big = writeCpcGantry(entered(), { ...(passes[0] as CpcGantryPass), fee: 0xfffff0 });
    expect(() => writeCpcGantry(big, { ...(passes[1] as CpcGantryPass), fee: 0x20 })).toThrow(
      expect.objectContaining({ code: 'CODEC_INVALID', file: 'DF01/EF04', offset: 2 }),
    );
    let card = entered();
    for (let p = 1; p <= 22; p++)
      card = writeCpcGantry(card, { ...(passes[0] as CpcGantryPass), province: p });
    expect(card.pass[0]).toBe(22);
    expect(() => writeCpcGantry(card, { ...(passes[0] as CpcGantryPass), province: 23 })).toThrow(
      expect.objectContaining({ file: 'DF01/EF04', offset: 22 * 23 }),
    );
  });

  it('a province of more than 24 gantries keeps its first and the latest 23 in the list', () => {
    let card = entered();
    for (let i = 1; i <= 30; i++) {
      card = writeCpcGantry(card, {
        ...(passes[2] as CpcGantryPass),
        gantryHex: `7000${i.toString(16).padStart(2, '0')}`,
      });
    }
    const read = decodeCpcFiles(cpcFilesAsRead(card));
    expect(read.pass.gantries).toHaveLength(24);
    expect(read.pass.gantries[0]).toBe('700001');
    expect(read.pass.gantries[1]).toBe('700008');
    expect(read.pass.localGantryCount).toBe(30);
    expect(read.blocks[0]?.gantryCount).toBe(30);
  });
});
