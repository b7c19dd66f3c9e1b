import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytes } from '../../apdu/hex';
import { plateColourOf, vehicleClassOf } from '../../codec/coded';
import { CodecError } from '../../codec/errors';
import { CPC_WORKED_EXAMPLE_HEX as HEX } from '../../fixtures/cpc-worked-example';
import { type CpcTimeBase, cpcSecondsToDate, dateToCpcSeconds } from '../cpc-time';
import { CpcUnreadableError } from '../cpc-unreadable';
import { type CpcBaseInfo, decodeCpcBaseInfo, encodeCpcBaseInfo } from './cpc-base-info';
import { type CpcEntry, decodeCpcEntry, encodeCpcEntry } from './cpc-entry';
import { type CpcFeeBlock, decodeCpcFeeBlocks, encodeCpcFeeBlocks } from './cpc-fee-blocks';
import { type CpcFiles, decodeCpcFiles } from './cpc-files';
import { type CpcPassInfo, decodeCpcPassInfo, encodeCpcPassInfo } from './cpc-pass-info';
import { type CpcSysInfo, decodeCpcSysInfo, encodeCpcSysInfo } from './cpc-sys-info';

const exampleFiles = (): CpcFiles => ({
  sysInfo: hexToBytes(HEX.sysInfo),
  baseInfo: hexToBytes(HEX.baseInfo),
  entry: hexToBytes(HEX.entry),
  pass: hexToBytes(HEX.pass),
  feeBlocks: hexToBytes(HEX.feeBlocks),
});

const at = (iso: string) => new Date(iso);

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe('cpc-card.md §9 worked example decodes to the documented values', () => {
  it('the five files', () => {
    const files = exampleFiles();
    expect(files.sysInfo.length).toBe(30);
    expect(files.baseInfo.length).toBe(32);
    expect(files.entry.length).toBe(39);
    expect(files.pass.length).toBe(101);
    expect(files.feeBlocks.length).toBe(46);
    const card = decodeCpcFiles(files);
    expect(card.sys).toEqual({
      issuer: 'B8CACBE000010001',
      area: 'B8CACBE0',
      cpcId: '6201012345678901',
      version: 1,
      signedOn: '20230101',
      expiresOn: '20330101',
      reserved: '0000000000',
    });
    expect(card.base).toMatchObject({ batteryPercent: 80, batteryLow: false, radioOn: true });
    expect(card.entry).toEqual({
      vehicleClass: { raw: 1, code: 1 },
      plate: '甘A12345',
      plateColour: { raw: 0, code: 0 },
      network: '6101',
      station: '61010203',
      lane: 3,
      entryTime: at('2024-05-10T07:30:00+08:00'),
      radioControl: 1,
      inOut: 1,
      vehicleKind: 0,
      operatorId: 1111,
      shift: 2,
      axles: 0,
      weightKg: 0,
      axleLimit: 0,
      specialTruck: 0,
      hasLiveEntry: true,
    });
    expect(card.entry.entryTime?.getTime()).toBe(0x663d5c78 * 1000);
    expect(card.pass).toEqual({
      provinceCount: 2,
      localGantryCount: 3,
      localFee: 2530,
      localMileageM: 25_400,
      localEntryGantry: '700021',
      localEntryTime: new Date(0x663d6ac9 * 1000),
      latestGantry: '700045',
      latestTime: new Date(0x663d7136 * 1000),
      latestFee: 780,
      latestMileageM: 7_800,
      gantries: ['700021', '700033', '700045'],
    });
    expect(card.blocks).toEqual([
      {
        province: 0x61,
        gantryCount: 2,
        fee: 4500,
        mileageM: 45_000,
        entryGantry: '6C0110',
        entryTime: new Date(0x663d64b8 * 1000),
        latestGantry: '6C012F',
        latestTime: new Date(0x663d6858 * 1000),
        fitFailed: false,
        empty: false,
      },
      {
        province: 0x62,
        gantryCount: 3,
        fee: 2530,
        mileageM: 25_400,
        entryGantry: '700021',
        entryTime: new Date(0x663d6ac9 * 1000),
        latestGantry: '700045',
        latestTime: new Date(0x663d7136 * 1000),
        fitFailed: false,
        empty: false,
      },
    ]);
    expect(card.blocks.reduce((a, b) => a + b.fee, 0)).toBe(7030);
  });

  it('re-encodes to the same bytes', () => {
    const files = exampleFiles();
    const card = decodeCpcFiles(files);
    expect(bytesToHex(encodeCpcSysInfo(card.sys))).toBe(bytesToHex(files.sysInfo));
    expect(bytesToHex(encodeCpcBaseInfo(card.base))).toBe(bytesToHex(files.baseInfo));
    const entry = encodeCpcEntry(card.entry);
    expect(entry.length).toBe(128);
    expect(bytesToHex(entry.subarray(0, 39))).toBe(bytesToHex(files.entry));
    expect(entry.subarray(39).every((b) => b === 0)).toBe(true);
    expect(bytesToHex(encodeCpcPassInfo(card.pass))).toBe(bytesToHex(files.pass));
    expect(bytesToHex(encodeCpcFeeBlocks(card.blocks))).toBe(bytesToHex(files.feeBlocks));
  });

  it('the Beijing time base reads the same seconds 8 h earlier', () => {
    const card = decodeCpcFiles(exampleFiles(), { timeBase: 'beijing' });
    expect(card.entry.entryTime?.toISOString()).toBe('2024-05-09T15:30:00.000Z');
    expect(dateToCpcSeconds(at('2024-05-10T07:30:00+08:00'), 'beijing')).toBe(0x663d5c78 + 8 * 3600);
    expect(dateToCpcSeconds(at('2024-05-10T07:30:00+08:00'))).toBe(0x663d5c78);
  });
});

describe('hostile bytes give CPC_UNREADABLE (decode) or CODEC_INVALID (encode) naming file, offset and reason', () => {
  /** A decode failure: the one CPC code, still a CodecError with file, offset and reason. */
  const expectCodec = (run: () => unknown, file: string, offset: number, reason?: RegExp) => {
    const e = thrown(run);
    expect(e).toBeInstanceOf(CpcUnreadableError);
    expect(e).toBeInstanceOf(CodecError);
    expect(e).toMatchObject({ code: 'CPC_UNREADABLE', file, offset, sw: null });
    if (reason) expect((e as CodecError).reason).toMatch(reason);
    // The collector is told what failed and what to do: treat it as a bad card.
    expect((e as CodecError).messageZh).toContain(`CPC卡无法读取（${file}第${offset}字节：`);
    expect((e as CodecError).messageZh).toContain('请按坏卡处理（转无卡流程）');
  };
  /** An encode failure (writers, simulator): the codec's own code with the bad-card advice. */
  const expectEncode = (run: () => unknown, file: string, offset: number, reason?: RegExp) => {
    const e = thrown(run);
    expect(e).not.toBeInstanceOf(CpcUnreadableError);
    expect(e).toMatchObject({ code: 'CODEC_INVALID', file, offset });
    if (reason) expect((e as CodecError).reason).toMatch(reason);
    expect((e as CodecError).messageZh).toContain('坏卡');
  };

  it('battery over 100 %, radio state not 0/1', () => {
    expectCodec(() => decodeCpcBaseInfo(Uint8Array.of(0x65, 0x01)), 'MF/EF02', 0, /101 % is over 100/);
    expectCodec(() => decodeCpcBaseInfo(Uint8Array.of(0xff, 0x01)), 'MF/EF02', 0, /127/);
    expect(decodeCpcBaseInfo(Uint8Array.of(0xe4, 0x00))).toMatchObject({
      batteryPercent: 100,
      batteryLow: true,
      radioOn: false,
    });
    expectCodec(() => decodeCpcBaseInfo(Uint8Array.of(0x50, 0x02)), 'MF/EF02', 1, /radio state 0x02/);
    expectCodec(() => decodeCpcBaseInfo(Uint8Array.of(0x50)), 'MF/EF02', 1, /length 1/);
    expectEncode(
      () => encodeCpcBaseInfo({ batteryPercent: 101, batteryLow: false, radioOn: true }),
      'MF/EF02',
      0,
    );
  });

  it('wrong lengths for every file', () => {
    const f = exampleFiles();
    expectCodec(() => decodeCpcSysInfo(f.sysInfo.subarray(0, 29)), 'MF/EF01', 29, /length 29/);
    expectCodec(() => decodeCpcEntry(f.entry.subarray(0, 38)), 'DF01/EF01', 38, /length 38/);
    expectCodec(() => decodeCpcPassInfo(f.pass.subarray(0, 100)), 'DF01/EF02', 100, /length 100/);
    expectCodec(() => decodeCpcFeeBlocks(f.feeBlocks.subarray(0, 45)), 'DF01/EF04', 23, /multiple of 23/);
    expectCodec(() => decodeCpcFeeBlocks(new Uint8Array(23 * 23).fill(1)), 'DF01/EF04', 22 * 23, /23 blocks/);
    expectCodec(
      () => decodeCpcFiles({ ...f, feeBlocks: f.feeBlocks.subarray(0, 23) }),
      'DF01/EF04',
      23,
      /announces 2/,
    );
  });

  it('counts that overflow, bad flags, bad dates and plates', () => {
    const f = exampleFiles();
    const pass = f.pass.slice();
    pass[28] = 25;
    expectCodec(() => decodeCpcPassInfo(pass), 'DF01/EF02', 28, /gantry count 25/);
    const provinces = f.pass.slice();
    provinces[0] = 23;
    expectCodec(() => decodeCpcPassInfo(provinces), 'DF01/EF02', 0, /province count 23/);
    const blocks = f.feeBlocks.slice();
    blocks[23 + 22] = 0x02;
    expectCodec(() => decodeCpcFeeBlocks(blocks), 'DF01/EF04', 45, /fitting flag 0x02/);
    const radio = f.entry.slice();
    radio[23] = 0x03;
    expectCodec(() => decodeCpcEntry(radio), 'DF01/EF01', 23, /radio control/);
    const plate = f.entry.slice();
    plate[3] = 0x00;
    expectCodec(() => decodeCpcEntry(plate), 'DF01/EF01', 3, /NUL/);
    const date = f.sysInfo.slice();
    date[19] = 0x1a;
    expectCodec(() => decodeCpcSysInfo(date), 'MF/EF01', 19, /BCD/);
  });

  it('encoders refuse values that do not fit instead of wrapping', () => {
    const card = decodeCpcFiles(exampleFiles());
    const [first] = card.blocks;
    if (!first) throw new Error('example has blocks');
    expectEncode(
      () => encodeCpcFeeBlocks([first, { ...first, fee: 0x1000000 }]),
      'DF01/EF04',
      23 + 2,
      /fee 16777216/,
    );
    expectEncode(
      () => encodeCpcPassInfo({ ...card.pass, gantries: Array(25).fill('700021') }),
      'DF01/EF02',
      28,
    );
    expectEncode(() => encodeCpcEntry({ ...card.entry, entryTime: new Date(-1000) }), 'DF01/EF01', 19);
    expectEncode(() => encodeCpcSysInfo({ ...card.sys, area: 'C9CFBAA3' }), 'MF/EF01', 0, /area/);
  });

  it('random bytes of random lengths: a typed error or a faithful decode, never a crash', () => {
    const decoders: readonly ((b: Uint8Array) => unknown)[] = [
      decodeCpcSysInfo,
      decodeCpcBaseInfo,
      (b) => decodeCpcEntry(b),
      (b) => decodeCpcPassInfo(b),
      (b) => decodeCpcFeeBlocks(b),
    ];
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.integer({ min: 0, max: 4 }), (b, which) => {
        const decode = decoders[which];
        if (!decode) return;
        try {
          decode(b);
        } catch (e) {
          expect(e).toBeInstanceOf(CpcUnreadableError);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('random bytes of the right lengths: decode fails typed or re-encodes to the same bytes', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 30, maxLength: 30 }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ minLength: 128, maxLength: 128 }),
        fc.uint8Array({ minLength: 23 * 3, maxLength: 23 * 3 }),
        fc.constantFrom<CpcTimeBase>('utc', 'beijing'),
        (sys, base, entry, blocks, timeBase) => {
          const same = (decodeEncode: () => Uint8Array, bytes: Uint8Array) => {
            try {
              expect(bytesToHex(decodeEncode())).toBe(bytesToHex(bytes));
            } catch (e) {
              if (!(e instanceof CodecError)) throw e;
            }
          };
          same(() => encodeCpcSysInfo(decodeCpcSysInfo(sys)), sys);
          same(() => encodeCpcBaseInfo(decodeCpcBaseInfo(base)), base);
          same(() => encodeCpcEntry(decodeCpcEntry(entry, { timeBase }), { timeBase }), entry);
          // A non-empty block re-encodes exactly (an empty all-FF block is written back as 00s).
          const fixed = blocks.slice();
          for (let i = 0; i < 3; i++) fixed[i * 23 + 22] = (fixed[i * 23 + 22] ?? 0) & 1;
          fixed[0] = 0x61;
          fixed[1] = 0x02;
          fixed[23] = 0x62;
          fixed[46] = 0x63;
          same(() => encodeCpcFeeBlocks(decodeCpcFeeBlocks(fixed, { timeBase }), { timeBase }), fixed);
        },
      ),
      { numRuns: 300 },
    );
  });
});

const hexArb = (n: number) => fc.uint8Array({ minLength: n, maxLength: n }).map(bytesToHex);
const secondsArb = fc.integer({ min: 1, max: 0xffffffff - 8 * 3600 });
const PROVINCES = [...'京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼'];
const plateArb = fc
  .tuple(
    fc.constantFrom(...PROVINCES),
    fc.array(fc.constantFrom(...'ABCDEFGHJK0123456789'), { maxLength: 8 }),
  )
  .map(([p, rest]) => p + rest.join(''));
const dateArb = fc
  .tuple(
    fc.integer({ min: 2000, max: 2099 }),
    fc.integer({ min: 1, max: 12 }),
    fc.integer({ min: 1, max: 28 }),
  )
  .map(([y, m, d]) => `${y}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}`);

describe('round trips (fast-check)', () => {
  it('MF/EF01 and MF/EF02', () => {
    const sysArb: fc.Arbitrary<CpcSysInfo> = fc
      .record({
        issuer: hexArb(8),
        cpcId: hexArb(8),
        version: fc.integer({ min: 0, max: 255 }),
        signedOn: dateArb,
        expiresOn: dateArb,
        reserved: hexArb(5),
      })
      .map((s) => ({ ...s, area: s.issuer.slice(0, 8) }));
    const baseArb: fc.Arbitrary<CpcBaseInfo> = fc.record({
      batteryPercent: fc.integer({ min: 0, max: 100 }),
      batteryLow: fc.boolean(),
      radioOn: fc.boolean(),
      vendor: hexArb(30),
    });
    fc.assert(
      fc.property(sysArb, baseArb, (sys, base) => {
        expect(decodeCpcSysInfo(encodeCpcSysInfo(sys))).toEqual(sys);
        expect(decodeCpcBaseInfo(encodeCpcBaseInfo(base))).toEqual(base);
      }),
      { numRuns: 200 },
    );
  });

  it('DF01/EF01 as 128 B and as the 39 B read, both time bases', () => {
    const entryArb: fc.Arbitrary<CpcEntry> = fc
      .record({
        vehicleClass: fc.integer({ min: 0, max: 255 }).map(vehicleClassOf),
        plate: plateArb,
        plateColour: fc.integer({ min: 0, max: 255 }).map(plateColourOf),
        station: hexArb(4),
        lane: fc.integer({ min: 0, max: 255 }),
        seconds: fc.option(secondsArb, { nil: null }),
        radioControl: fc.constantFrom(0 as const, 1 as const, 2 as const),
        inOut: fc.integer({ min: 0, max: 255 }),
        vehicleKind: fc.integer({ min: 0, max: 255 }),
        operatorId: fc.integer({ min: 0, max: 0xffffff }),
        shift: fc.integer({ min: 0, max: 255 }),
        axles: fc.integer({ min: 0, max: 255 }),
        weightKg: fc.integer({ min: 0, max: 0xffffffff }),
        axleLimit: fc.integer({ min: 0, max: 0xffffff }),
        specialTruck: fc.integer({ min: 0, max: 255 }),
        reserved: hexArb(89),
      })
      .map(({ seconds, ...e }) => ({
        ...e,
        network: e.station.slice(0, 4),
        entryTime: seconds === null ? null : cpcSecondsToDate(seconds),
        hasLiveEntry: e.radioControl === 1,
      }));
    fc.assert(
      fc.property(entryArb, (e) => {
        const bytes = encodeCpcEntry(e);
        expect(decodeCpcEntry(bytes)).toEqual(e);
        const { reserved: _, ...read } = e;
        expect(decodeCpcEntry(bytes.subarray(0, 39))).toEqual(read);
        expect(decodeCpcEntry(encodeCpcEntry(e, { timeBase: 'beijing' }), { timeBase: 'beijing' })).toEqual(
          e,
        );
      }),
      { numRuns: 200 },
    );
  });

  it('DF01/EF02 and DF01/EF04', () => {
    const time = fc.option(
      secondsArb.map((s) => cpcSecondsToDate(s)),
      { nil: null },
    );
    const passArb: fc.Arbitrary<CpcPassInfo> = fc.record({
      provinceCount: fc.integer({ min: 0, max: 22 }),
      localGantryCount: fc.integer({ min: 0, max: 255 }),
      localFee: fc.integer({ min: 0, max: 0xffffff }),
      localMileageM: fc.integer({ min: 0, max: 0xffffff }),
      localEntryGantry: hexArb(3),
      localEntryTime: time,
      latestGantry: hexArb(3),
      latestTime: time,
      latestFee: fc.integer({ min: 0, max: 0xffffff }),
      latestMileageM: fc.integer({ min: 0, max: 0xffffff }),
      gantries: fc.array(hexArb(3), { maxLength: 24 }),
    });
    const blockArb: fc.Arbitrary<CpcFeeBlock> = fc.record({
      province: fc.integer({ min: 1, max: 0xfe }),
      gantryCount: fc.integer({ min: 0, max: 255 }),
      fee: fc.integer({ min: 0, max: 0xffffff }),
      mileageM: fc.integer({ min: 0, max: 0xffffff }),
      entryGantry: hexArb(3),
      entryTime: secondsArb.map((s) => cpcSecondsToDate(s)),
      latestGantry: hexArb(3),
      latestTime: secondsArb.map((s) => cpcSecondsToDate(s)),
      fitFailed: fc.boolean(),
      empty: fc.constant(false),
    });
    fc.assert(
      fc.property(passArb, fc.array(blockArb, { maxLength: 22 }), (pass, blocks) => {
        expect(decodeCpcPassInfo(encodeCpcPassInfo(pass))).toEqual(pass);
        expect(decodeCpcFeeBlocks(encodeCpcFeeBlocks(blocks))).toEqual(blocks);
      }),
      { numRuns: 200 },
    );
  });

  it('empty blocks: all 00 or all FF, reported not refused', () => {
    const bytes = new Uint8Array(46);
    bytes.fill(0xff, 23);
    const blocks = decodeCpcFeeBlocks(bytes);
    expect(blocks.map((b) => b.empty)).toEqual([true, true]);
    expect(bytesToHex(encodeCpcFeeBlocks(blocks))).toBe('00'.repeat(46));
    expect(decodeCpcFeeBlocks(new Uint8Array(0))).toEqual([]);
  });
});
