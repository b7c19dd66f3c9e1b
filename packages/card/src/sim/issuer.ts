/**
 * The TEST issuer: builds a virtual ETC card with consistent files and keys diversified from the TEST master
 * keys (fixtures/test-keys.ts). Everything it makes is synthetic test data.
 */
import type { PlateColour, VehicleClass } from '@tollpad/domain';
import { bytesToHex } from '../apdu/hex';
import { plateColourOf, vehicleClassOf } from '../codec/coded';
import { cardNumber8, decodeEf0015, type Ef0015, encodeEf0015, issuerFactor8 } from '../codec/ef0015';
import { type Ef0019, type Ef0019Layout, encodeEf0019 } from '../codec/ef0019';
import { encodeGbk } from '../codec/gbk';
import type { PurseAlgorithm } from '../crypto/pboc';
import { testCardKeys } from '../fixtures/test-keys';
import { type EtcCardOptions, VirtualEtcCard } from './etc-card';

export interface IssueCardOptions {
  plate: string;
  colour: PlateColour | number;
  class: VehicleClass | number;
  userType?: number;
  cardType: 'stored-value' | 'account';
  algorithm: '3des' | 'sm4';
  /** Fen; may be negative for account cards. */
  balance: number;
  /** 4-digit network number (default 9901, the synthetic TEST province). */
  network?: string;
  /** 16-digit internal number (default: derived from `serial`). */
  internalNumber?: string;
  serial?: number;
  /** GBK issuer name, exactly two Chinese characters (default 测试). */
  issuerName?: string;
  issuerCode?: string; // 8 hex digits
  validFrom?: string; // YYYYMMDD
  validUntil?: string;
  /** 0015 format: 43 (legacy) or 50 (2019+, with the vehicle class). */
  format0015?: 43 | 50;
  /** Initial 0019 content (e.g. an entry record); a blank unlocked record by default. */
  ef0019?: Ef0019;
  layout0019?: Ef0019Layout;
  locked?: boolean;
  /** Account cards: overdraft floor in fen (default 10 000 000 = ¥100 000) [I]. */
  overdraftLimit?: number;
  allowOverdraft?: boolean;
  atc?: number;
  cardOptions?: EtcCardOptions;
}

export interface IssuedCard {
  card: VirtualEtcCard;
  ef0015: Ef0015;
  cardNumber: string;
  algorithm: PurseAlgorithm;
}

/** A blank (never used) 0019 record in the chosen layout. */
export function blankEf0019(layout: Ef0019Layout = '2019'): Ef0019 {
  const common = {
    lock: 0,
    network: '0000',
    station: '0000',
    lane: 0,
    time: 0,
    vehicleClass: vehicleClassOf(0),
    status: 0,
    plate: '',
  };
  return layout === 'legacy'
    ? {
        layout,
        ...common,
        markStation: '000000000000000000',
        staffId: '000000',
        shift: 0,
        reserved: '00000000',
      }
    : {
        layout,
        ...common,
        gantryId: '000000',
        gantryTime: 0,
        plateColour: plateColourOf(0),
        axles: 0,
        totalWeightKg: 0,
        vehicleStatusFlag: 0xff,
        cumulativeAmount: 0,
      };
}

export function issueCard(o: IssueCardOptions): IssuedCard {
  const network = o.network ?? '9901';
  const internalNumber = o.internalNumber ?? String(o.serial ?? 1).padStart(16, '0');
  const issuerHead = bytesToHex(encodeGbk('0015', o.issuerName ?? '测试', 0, 4));
  const format = o.format0015 ?? 50;
  const base: Ef0015 = {
    issuerId: issuerHead + (o.issuerCode ?? '99010001'),
    issuerName: o.issuerName ?? '测试',
    cardType: o.cardType === 'stored-value' ? 0x16 : 0x17,
    cardKind: o.cardType,
    cardVersion: 0x40,
    network,
    internalNumber,
    cardNumber: network + internalNumber,
    validFrom: o.validFrom ?? '20200101',
    validUntil: o.validUntil ?? '20391231',
    plate: o.plate,
    userType: o.userType ?? 0,
    plateColour: plateColourOf(o.colour),
  };
  const ef =
    format === 50 ? { ...base, vehicleClass: vehicleClassOf(o.class), reserved: '000000000000' } : base;
  const bytes0015 = encodeEf0015(ef);
  const ef0015 = decodeEf0015(bytes0015);
  const keys = testCardKeys(o.algorithm, issuerFactor8(ef0015), cardNumber8(ef0015));
  const card = new VirtualEtcCard(
    {
      ef0015: bytes0015,
      ef0016: new Uint8Array(55).fill(0xff),
      ef0019: encodeEf0019(o.ef0019 ?? blankEf0019(o.layout0019)),
      balance: o.balance,
      atc: o.atc ?? 0,
      kind: o.cardType,
      overdraftLimit: o.overdraftLimit ?? 10_000_000,
      allowOverdraft: o.allowOverdraft ?? true,
      locked: o.locked ?? false,
      keys: {
        algorithm: o.algorithm,
        dpk: keys.dpk,
        dtk: keys.dtk,
        keyVersion: keys.keyVersion,
        keyIndex: 0x01,
      },
    },
    o.cardOptions,
  );
  return { card, ef0015, cardNumber: ef0015.cardNumber, algorithm: o.algorithm };
}
