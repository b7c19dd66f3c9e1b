import { describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytes } from '../apdu/hex';
import { CodecError } from '../codec/errors';
import { decodeObuSystemInfo, encodeObuSystemInfo, isObuRemoved } from './ef01-system-info';
import {
  decodeEf04ExitRegion,
  EF04_EXIT_LENGTH,
  EF04_EXIT_OFFSET,
  type Ef04ExitRegion,
  encodeEf04ExitRegion,
} from './ef04-exit-region';
import { vehicleInfoFor } from './issue-obu';
import { decodeVehicleInfo, encodeVehicleInfo } from './vehicle-info';

// TEST EF01: provider 万集万集 (S12's example), serial, dates, installed.
const EF01 = 'CDF2BCAFCDF2BCAF0116000000000000002A202001012039123101';

describe('OBU EF01 system information', () => {
  it('decodes the fields and re-encodes byte for byte', () => {
    const info = decodeObuSystemInfo(hexToBytes(EF01));
    expect(info).toMatchObject({
      provider: 'CDF2BCAFCDF2BCAF',
      providerName: '万集',
      contractType: 1,
      contractVersion: 0x16,
      contractSerial: '000000000000002A',
      signedDate: '20200101',
      expiryDate: '20391231',
      tamperStatus: 1,
    });
    expect(isObuRemoved(info)).toBe(false);
    expect(bytesToHex(encodeObuSystemInfo(info))).toBe(EF01);
  });

  it('names file, offset and reason on bad input', () => {
    const bad = hexToBytes(EF01);
    bad[22] = 0x2a; // not BCD in the expiry date
    const error = (() => {
      try {
        decodeObuSystemInfo(bad);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(CodecError);
    expect(error).toMatchObject({ file: 'OBU-EF01', offset: 22 });
    expect(() => decodeObuSystemInfo(new Uint8Array(26))).toThrow(/OBU-EF01 @\d+: length 26/);
  });
});

describe('OBU vehicle information', () => {
  it.each(['legacy59', 'v79'] as const)('round-trips the %s layout', (layout) => {
    const info = vehicleInfoFor({
      plate: '苏A12345',
      colour: 1,
      class: 11,
      layout,
      axles: 3,
      totalWeightKg: 18000,
    });
    const bytes = encodeVehicleInfo(info);
    expect(bytes.length).toBe(layout === 'legacy59' ? 59 : 79);
    const back = decodeVehicleInfo(bytes, layout);
    expect(back).toEqual(info);
    // Bytes 0–15 are shared by both layouts: plate, colour, class, user type.
    expect(bytesToHex(bytes.subarray(12, 15))).toBe('00010B');
  });

  it('rejects the wrong length and values that do not fit', () => {
    expect(() => decodeVehicleInfo(new Uint8Array(59), 'v79')).toThrow(CodecError);
    const info = vehicleInfoFor({ plate: '苏A12345', colour: 1, class: 1 });
    expect(() => encodeVehicleInfo({ ...info, length: 70000 })).toThrow(/OBU-VEHICLE @16/);
  });
});

function sampleRegion(): Ef04ExitRegion {
  return {
    ef0019Copy: `AA2900990104320065F3A00001030000000000000000${'00'.repeat(17)}`,
    ef0015Copy: {
      issuerId: 'B2E2CAD499010001',
      cardType: 0x16,
      cardVersion: 0x40,
      network: '9901',
      internalNumber: '0000000000000007',
    },
    vehicleUserType: 0,
    provinceCount: 2,
    totalReceivable: 12345,
    totalCollected: 12000,
    successCount: 7,
    mileageMeters: 156_000,
    noCardCount: 1,
    provinceEntry: '010203',
    provinceReceivable: 8000,
    provinceSuccessCount: 4,
    provinceCollected: 7800,
    digest: '0102030405060708',
    provinces: [
      { province: 32, amount: 8000 },
      { province: 34, amount: 4345 },
    ],
    unusedProvinceRecords: '00'.repeat(72),
  };
}

describe('OBU EF04 exit region (314–484)', () => {
  it('round-trips and puts each field at its offset', () => {
    const region = sampleRegion();
    const bytes = encodeEf04ExitRegion(region);
    expect(bytes.length).toBe(EF04_EXIT_LENGTH);
    expect(decodeEf04ExitRegion(bytes)).toEqual(region);
    // 累计应收金额 at absolute 375, first province record at 405.
    expect(bytesToHex(bytes.subarray(375 - EF04_EXIT_OFFSET, 378 - EF04_EXIT_OFFSET))).toBe('003039');
    expect(bytesToHex(bytes.subarray(405 - EF04_EXIT_OFFSET, 409 - EF04_EXIT_OFFSET))).toBe('20001F40');
    // A whole file decodes the same region.
    const file = new Uint8Array(512);
    file.set(bytes, EF04_EXIT_OFFSET);
    expect(decodeEf04ExitRegion(file)).toEqual(region);
  });

  it('reports bad content with the absolute EF04 offset', () => {
    const bytes = encodeEf04ExitRegion(sampleRegion());
    bytes[374 - EF04_EXIT_OFFSET] = 21;
    expect(() => decodeEf04ExitRegion(bytes)).toThrow(/OBU-EF04 @374: province count 21/);
    const bcd = encodeEf04ExitRegion(sampleRegion());
    bcd[365 - EF04_EXIT_OFFSET] = 0xab;
    expect(() => decodeEf04ExitRegion(bcd)).toThrow(/OBU-EF04 @365/);
    expect(() => encodeEf04ExitRegion({ ...sampleRegion(), totalReceivable: 2 ** 24 })).toThrow(/@375/);
  });
});
