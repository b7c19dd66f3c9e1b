/**
 * A new blank CPC as the issuer leaves it (cpc-card.md §2.1 sizes, §2.3 [P] "never entered": DF01/EF01
 * all 00, radio state 0). TEST and training cards are made with it; nothing here holds keys.
 */
import { encodeCpcBaseInfo } from '../codec/cpc-base-info';
import { CPC_FILE, cpcCodecError } from '../codec/cpc-fields';
import type { CpcFiles } from '../codec/cpc-files';
import { encodeCpcSysInfo } from '../codec/cpc-sys-info';
import { CPC_IMAGE_SIZES } from './cpc-images';

export interface BlankCpcSpec {
  /** 16 hex digits. */
  readonly cpcId: string;
  /** Area factor: the province name in GBK, 8 hex digits (甘肃 = B8CACBE0). */
  readonly area: string;
  readonly batteryPercent: number;
  /** Bit 7 of the battery byte; true by default when the percentage is under 20 [P]. */
  readonly batteryLow?: boolean;
  /** Issuer bytes 4–7 after the area: 运营商标识 (2 B) + reserved + 密钥分散标识 [I]; §9 uses 00010001. */
  readonly issuerTail?: string;
  readonly version?: number;
  readonly signedOn?: string;
  readonly expiresOn?: string;
}

/** [P] the battery level below which a synthetic card sets the low bit when the spec does not say. */
const LOW_BATTERY_PERCENT = 20;

export function blankCpcImages(spec: BlankCpcSpec): CpcFiles {
  const tail = spec.issuerTail ?? '00010001';
  if (!/^[0-9A-Fa-f]{8}$/.test(spec.area)) {
    throw cpcCodecError(CPC_FILE.sysInfo, 0, `area must be 8 hex digits, got "${spec.area}"`);
  }
  return {
    sysInfo: encodeCpcSysInfo({
      issuer: spec.area + tail,
      area: spec.area,
      cpcId: spec.cpcId,
      version: spec.version ?? 1,
      signedOn: spec.signedOn ?? '20230101',
      expiresOn: spec.expiresOn ?? '20330101',
    }),
    baseInfo: encodeCpcBaseInfo(
      {
        batteryPercent: spec.batteryPercent,
        batteryLow: spec.batteryLow ?? spec.batteryPercent < LOW_BATTERY_PERCENT,
        radioOn: false,
      },
      CPC_IMAGE_SIZES.baseInfo,
    ),
    entry: new Uint8Array(CPC_IMAGE_SIZES.entry),
    pass: new Uint8Array(CPC_IMAGE_SIZES.pass),
    feeBlocks: new Uint8Array(CPC_IMAGE_SIZES.feeBlocks),
  };
}
