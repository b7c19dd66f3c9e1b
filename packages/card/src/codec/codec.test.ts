import { beijingCompact } from '@tollpad/domain';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytes } from '../apdu/hex';
import { decodeBalance, encodeBalance } from './balance';
import { purchaseDateTime } from './bcd';
import { plateColourOf, vehicleClassOf } from './coded';
import { cardNumber8, decodeEf0015, type Ef0015, encodeEf0015, issuerFactor8 } from './ef0015';
import { decodeEf0016, encodeEf0016 } from './ef0016';
import { decodeEf0018, type Ef0018Record, encodeEf0018 } from './ef0018';
import { cardTimeToDate, decodeEf0019, type Ef0019, encodeEf0019 } from './ef0019';
import { CodecError } from './errors';
import { decodeGbk, encodeGbk } from './gbk';

// Real dumps from the reference (S4 0015, S1 0019, S4 0018). The S4 0015 dump is printed with 45 bytes:
// the 43 bytes of the file followed by two more zero bytes; the file is the 43-byte prefix.
const S4_0015_DUMP =
  'C9C2CEF7 61010001 16 10 6101 1518220000249639 20160526 20260526 C9C2414F4B313132000000000000 00 0000';
const S1_0019 =
  'AA29 00 0026 0431 33 552BE903 04 03 010101000000072184 000999 02 B4A849303030323400000000 00000000';
const S4_0018 = '02AB 000000 00000046 06 230001003701 20161112 093559';

describe('real dumps decode to the documented values', () => {
  it('0015 legacy (S4)', () => {
    const bytes = hexToBytes(S4_0015_DUMP).subarray(0, 43);
    const ef = decodeEf0015(bytes);
    expect(ef).toMatchObject({
      issuerId: 'C9C2CEF761010001',
      issuerName: '陕西',
      cardType: 0x16,
      cardKind: 'stored-value',
      cardVersion: 0x10,
      network: '6101',
      internalNumber: '1518220000249639',
      cardNumber: '61011518220000249639',
      validFrom: '20160526',
      validUntil: '20260526',
      plate: '陕AOK112',
      userType: 0,
      plateColour: { raw: 0, code: 0 },
    });
    expect(ef.vehicleClass).toBeUndefined();
    expect(bytesToHex(encodeEf0015(ef))).toBe(bytesToHex(bytes));
    expect(bytesToHex(issuerFactor8(ef))).toBe('C9C2CEF7C9C2CEF7');
    expect(bytesToHex(cardNumber8(ef))).toBe('1518220000249639');
  });

  it('0019 legacy (S1 example)', () => {
    const bytes = hexToBytes(S1_0019);
    const r = decodeEf0019(bytes, 'legacy');
    expect(r).toMatchObject({
      layout: 'legacy',
      lock: 0,
      network: '0026',
      station: '0431',
      lane: 0x33,
      time: 0x552be903,
      vehicleClass: { raw: 4, code: 4 },
      status: 3,
      markStation: '010101000000072184',
      staffId: '000999',
      shift: 2,
      plate: '川I00024',
      reserved: '00000000',
    });
    // S1 pairs 552BE903 with the trade time 20150413160419 (Beijing wall clock).
    expect(beijingCompact(cardTimeToDate(r.time))).toBe('20150413160419');
    expect(bytesToHex(encodeEf0019(r))).toBe(bytesToHex(bytes));
  });

  it('0018 record (S4 sample)', () => {
    const r = decodeEf0018(hexToBytes(S4_0018));
    expect(r).toEqual({
      atc: 0x02ab,
      overdraftLimit: 0,
      amount: 70,
      transactionType: 6,
      terminalId: '230001003701',
      date: '20161112',
      time: '093559',
    });
    expect(bytesToHex(encodeEf0018(r))).toBe(bytesToHex(hexToBytes(S4_0018)));
  });

  it('account-card balance is signed: 4294950230 is −17066', () => {
    expect(decodeBalance(4294950230, 'account')).toBe(-17066);
    expect(decodeBalance(4294950230, 'stored-value')).toBe(4294950230);
    expect(encodeBalance(-17066)).toBe(4294950230);
  });
});

describe('decode errors name the file, the offset and the reason', () => {
  it('bad BCD in the 0015 dates', () => {
    const bytes = hexToBytes(S4_0015_DUMP).slice(0, 43);
    bytes[21] = 0x1a;
    const err = (() => {
      try {
        decodeEf0015(bytes);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(CodecError);
    expect(err).toMatchObject({ file: '0015', offset: 21, code: 'CODEC_INVALID' });
  });

  it('wrong length, wrong 0019 tag, invalid GBK plate', () => {
    expect(() => decodeEf0015(new Uint8Array(44))).toThrow(expect.objectContaining({ file: '0015' }));
    const r = hexToBytes(S1_0019);
    r[0] = 0xab;
    expect(() => decodeEf0019(r, 'legacy')).toThrow(expect.objectContaining({ file: '0019', offset: 0 }));
    const p = hexToBytes(S1_0019);
    p[27] = 0xff;
    expect(() => decodeEf0019(p, 'legacy')).toThrow(expect.objectContaining({ file: '0019', offset: 27 }));
    expect(() => encodeGbk('0015', '陕AOK11222223', 28, 12)).toThrow(
      expect.objectContaining({ offset: 28 + 12 }),
    );
  });

  it('unknown domain codes keep the raw value', () => {
    expect(vehicleClassOf(99)).toEqual({ raw: 99, code: null });
    expect(plateColourOf(1)).toEqual({ raw: 1, code: 1 });
  });
});

const PROVINCES = [...'京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼'];
const ALNUM = [...'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789'];
const plateArb = fc
  .tuple(
    fc.constantFrom(...PROVINCES),
    fc.array(fc.constantFrom(...ALNUM), { minLength: 0, maxLength: 8 }),
    fc.constantFrom('', '警', '学', '挂'),
  )
  .map(([p, rest, tail]) => p + rest.join('') + tail);
const digits = (n: number) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((a) => a.join(''));
const dateArb = fc
  .tuple(
    fc.integer({ min: 2000, max: 2099 }),
    fc.integer({ min: 1, max: 12 }),
    fc.integer({ min: 1, max: 28 }),
  )
  .map(([y, m, d]) => `${y}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}`);
const hexArb = (n: number) => fc.uint8Array({ minLength: n, maxLength: n }).map(bytesToHex);

const ef0015Arb: fc.Arbitrary<Ef0015> = fc
  .record({
    issuer: hexArb(4),
    cardType: fc.constantFrom(0x16, 0x17),
    cardVersion: fc.integer({ min: 0, max: 255 }),
    network: digits(4),
    internalNumber: digits(16),
    validFrom: dateArb,
    validUntil: dateArb,
    plate: plateArb,
    userType: fc.integer({ min: 0, max: 255 }),
    colour: fc.integer({ min: 0, max: 0xffff }),
    cls: fc.option(fc.integer({ min: 0, max: 255 }), { nil: undefined }),
    reserved: hexArb(6),
  })
  .map((r) => {
    const bytes = new Uint8Array(r.cls === undefined ? 43 : 50);
    // Build through the decoder so derived fields (issuerName, cardKind…) are consistent.
    bytes.set(hexToBytes(`C9C2CEF7${r.issuer}`), 0);
    bytes[8] = r.cardType;
    bytes[9] = r.cardVersion;
    bytes.set(hexToBytes(r.network + r.internalNumber + r.validFrom + r.validUntil), 10);
    bytes.set(encodeGbk('0015', r.plate, 28, 12), 28);
    bytes[40] = r.userType;
    bytes[41] = r.colour >> 8;
    bytes[42] = r.colour & 0xff;
    if (r.cls !== undefined) {
      bytes[43] = r.cls;
      bytes.set(hexToBytes(r.reserved), 44);
    }
    return decodeEf0015(bytes);
  });

/** The fields both EF0019 layouts share. */
const ef0019Common = {
  lock: fc.integer({ min: 0, max: 255 }),
  network: hexArb(2),
  station: hexArb(2),
  lane: fc.integer({ min: 0, max: 255 }),
  time: fc.integer({ min: 0, max: 0xffffffff }),
  vehicleClass: fc.integer({ min: 0, max: 255 }).map(vehicleClassOf),
  status: fc.integer({ min: 0, max: 255 }),
};

const ef0019Arb: fc.Arbitrary<Ef0019> = fc.oneof(
  fc.record({
    layout: fc.constant('legacy' as const),
    ...ef0019Common,
    markStation: hexArb(9),
    staffId: hexArb(3),
    shift: fc.integer({ min: 0, max: 255 }),
    plate: plateArb,
    reserved: hexArb(4),
  }),
  fc.record({
    layout: fc.constant('2019' as const),
    ...ef0019Common,
    gantryId: hexArb(3),
    gantryTime: fc.integer({ min: 0, max: 0xffffffff }),
    plate: plateArb,
    plateColour: fc.integer({ min: 0, max: 255 }).map(plateColourOf),
    axles: fc.integer({ min: 0, max: 255 }),
    totalWeightKg: fc.integer({ min: 0, max: 0xffffff }),
    vehicleStatusFlag: fc.integer({ min: 0, max: 255 }),
    cumulativeAmount: fc.integer({ min: 0, max: 0xffffffff }),
  }),
);

describe('round trips (fast-check)', () => {
  it('0015: decode(encode(x)) = x, both lengths', () => {
    fc.assert(
      fc.property(ef0015Arb, (ef) => {
        expect(decodeEf0015(encodeEf0015(ef))).toEqual(ef);
      }),
      { numRuns: 200 },
    );
  });

  it('0019: both layouts', () => {
    fc.assert(
      fc.property(ef0019Arb, (r) => {
        expect(decodeEf0019(encodeEf0019(r), r.layout)).toEqual(r);
      }),
      { numRuns: 200 },
    );
  });

  it('0018', () => {
    const arb: fc.Arbitrary<Ef0018Record> = fc.record({
      atc: fc.integer({ min: 0, max: 0xffff }),
      overdraftLimit: fc.integer({ min: 0, max: 0xffffff }),
      amount: fc.integer({ min: 0, max: 0xffffffff }),
      transactionType: fc.constantFrom(2, 6, 9),
      terminalId: hexArb(6),
      date: dateArb,
      time: fc
        .tuple(
          fc.integer({ min: 0, max: 23 }),
          fc.integer({ min: 0, max: 59 }),
          fc.integer({ min: 0, max: 59 }),
        )
        .map((t) => t.map((n) => String(n).padStart(2, '0')).join('')),
    });
    fc.assert(
      fc.property(arb, (r) => {
        expect(decodeEf0018(encodeEf0018(r))).toEqual(r);
      }),
      { numRuns: 200 },
    );
  });

  it('0016 personalised and blank', () => {
    const blank = new Uint8Array(55).fill(0xff);
    expect(decodeEf0016(blank)).toMatchObject({ personalised: false });
    expect(encodeEf0016(decodeEf0016(blank))).toEqual(blank);
    const arb = fc.record({
      personalised: fc.constant(true as const),
      holderType: fc.integer({ min: 0, max: 255 }),
      staffFlag: fc.integer({ min: 0, max: 255 }),
      name: fc
        .array(fc.constantFrom(...'张王李赵刘陈杨黄周吴伟芳娜敏静'), { maxLength: 10 })
        .map((a) => a.join('')),
      idNumber: fc.array(fc.constantFrom(...'0123456789X'), { maxLength: 32 }).map((a) => a.join('')),
      idType: fc.integer({ min: 0, max: 255 }),
    });
    fc.assert(
      fc.property(arb, (r) => {
        fc.pre(r.holderType !== 0xff || r.name !== '' || r.idNumber !== '' || r.idType !== 0xff);
        expect(decodeEf0016(encodeEf0016(r))).toEqual(r);
      }),
      { numRuns: 100 },
    );
  });

  it('arbitrary bytes: decode either fails with CodecError or re-encodes to the same bytes', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 43, maxLength: 43 }),
        fc.constantFrom('legacy' as const, '2019' as const),
        (b, layout) => {
          b[0] = 0xaa;
          b[1] = 0x29;
          try {
            const r = decodeEf0019(b, layout);
            expect(bytesToHex(encodeEf0019(r))).toBe(bytesToHex(b));
          } catch (e) {
            expect(e).toBeInstanceOf(CodecError);
          }
          try {
            expect(bytesToHex(encodeEf0015(decodeEf0015(b)))).toBe(bytesToHex(b));
          } catch (e) {
            expect(e).toBeInstanceOf(CodecError);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('GBK text round-trips through the lazily built table', () => {
    fc.assert(
      fc.property(plateArb, (p) => {
        expect(decodeGbk('x', encodeGbk('x', p, 0, 12), 0, 12)).toBe(p);
      }),
      { numRuns: 200 },
    );
    expect(bytesToHex(encodeGbk('x', '川I00024', 0, 12))).toBe('B4A849303030323400000000');
  });

  it('GBK as written back only: bytes gb18030 reads but GBK would not write the same are refused', () => {
    // Found by the arbitrary-bytes property: a lone 0x80 decodes to € (written back as A2E3), and A3A0
    // decodes to the ideographic space (written back as A1A1).
    expect(() => decodeGbk('0019', Uint8Array.of(0x01, 0x80, 0x81, 0x40), 0, 4)).toThrow(
      expect.objectContaining({ file: '0019', offset: 1, code: 'CODEC_INVALID' }),
    );
    expect(() => decodeGbk('0019', Uint8Array.of(0x41, 0x41, 0xa3, 0xa0), 0, 4)).toThrow(
      expect.objectContaining({ offset: 2 }),
    );
    // A four-byte gb18030 code (U+0080) from byte 2 of the field: GBK has no such character.
    const fourByte = Uint8Array.of(0xff, 0x41, 0x81, 0x30, 0x81, 0x30);
    expect(() => decodeGbk('0015', fourByte, 1, 5)).toThrow(expect.objectContaining({ offset: 2 }));
    expect(decodeGbk('0015', Uint8Array.of(0xb4, 0xa8, 0x41, 0xa1, 0xa1, 0x00), 0, 6)).toBe('川A\u3000');
  });

  it('purchase datetime is 7 BCD bytes of Beijing time', () => {
    expect(bytesToHex(purchaseDateTime(new Date('2014-09-16T13:40:18Z')))).toBe('20140916214018');
  });
});
