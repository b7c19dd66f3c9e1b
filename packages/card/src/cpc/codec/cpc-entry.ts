/**
 * DF01/EF01 入/出口信息, cpc-card.md §2.4: 39 B as read (`00B0 8100 27`) or the 128 B file.
 * Byte 23 is the 5.8 GHz control the entry and exit write (01 on, 02 off); byte 24 the in/out flag whose
 * values are [P] (configurable, CPC_IN_OUT). Bytes 25–38 are entry data only while byte 23 = 01: a
 * TCS-style exit may have overwritten them (hasLiveEntry says which).
 */
import { CPC_FILE_LENGTHS, CPC_READ_LENGTHS, type PlateColour, type VehicleClass } from '@tollpad/domain';
import { readUint } from '../../apdu/hex';
import { type Coded, plateColourOf, vehicleClassOf } from '../../codec/coded';
import { decodeGbk, encodeGbk } from '../../codec/gbk';
import { DEFAULT_CPC_TIME_BASE } from '../cpc-time';
import {
  asCpc,
  CPC_FILE,
  type CpcTimeOptions,
  cpcCodecError,
  decodingCpc,
  hexAt,
  putHexAt,
  putTime,
  putUintAt,
  readOptionalTime,
  requireCpcLength,
} from './cpc-fields';

const F = CPC_FILE.entry;
export const CPC_ENTRY_READ_LENGTH = CPC_READ_LENGTHS.entry;
export const CPC_ENTRY_FILE_LENGTH = CPC_FILE_LENGTHS.entry;

/** Byte 23: the radio control, sourced (RSU 开卡 01 / 关卡 02); 00 on a card never entered [P]. */
export const CPC_RADIO_CONTROL = { none: 0, on: 1, off: 2 } as const;
export type CpcRadioControl = 0 | 1 | 2;

/** Byte 24: [P] cpc-card.md §2.4, values not found; configurable (the writers take them as options). */
export const CPC_IN_OUT = { none: 0, entered: 1, exited: 2 } as const;

export interface CpcEntry {
  readonly vehicleClass: Coded<VehicleClass>;
  readonly plate: string;
  readonly plateColour: Coded<PlateColour>;
  /** 路网号, 4 hex digits (e.g. 6101). */
  readonly network: string;
  /** Net + station, the 8-hex station code (e.g. 61010203) [I]. */
  readonly station: string;
  readonly lane: number;
  /** null when the card holds 0 (never entered). */
  readonly entryTime: Date | null;
  readonly radioControl: CpcRadioControl;
  /** Raw byte 24 ([P] values, CPC_IN_OUT). */
  readonly inOut: number;
  /** 车种, 0 when unknown at entry. */
  readonly vehicleKind: number;
  /** 入口收费员工号 (3 B). */
  readonly operatorId: number;
  readonly shift: number;
  readonly axles: number;
  readonly weightKg: number;
  readonly axleLimit: number;
  readonly specialTruck: number;
  /** Byte 23 = 01: an entry not yet closed. */
  readonly hasLiveEntry: boolean;
  /** Bytes 39–127 as hex when the whole file was decoded; 00s when absent. */
  readonly reserved?: string;
}

/** A file that does not decode is CPC_UNREADABLE (file, offset and reason kept). */
export function decodeCpcEntry(bytes: Uint8Array, options: CpcTimeOptions = {}): CpcEntry {
  return decodingCpc(() => decodeEntry(bytes, options));
}

function decodeEntry(bytes: Uint8Array, options: CpcTimeOptions = {}): CpcEntry {
  requireCpcLength(F, bytes, [CPC_ENTRY_READ_LENGTH, CPC_ENTRY_FILE_LENGTH]);
  const base = options.timeBase ?? DEFAULT_CPC_TIME_BASE;
  const radio = bytes[23] ?? 0;
  if (radio !== 0 && radio !== 1 && radio !== 2) {
    throw cpcCodecError(
      F,
      23,
      `radio control 0x${radio.toString(16).padStart(2, '0')}, expected 00, 01 or 02`,
    );
  }
  const network = hexAt(bytes, 14, 2);
  return {
    vehicleClass: vehicleClassOf(bytes[0] ?? 0),
    plate: asCpc(() => decodeGbk(F, bytes, 1, 12)),
    plateColour: plateColourOf(bytes[13] ?? 0),
    network,
    station: network + hexAt(bytes, 16, 2),
    lane: bytes[18] ?? 0,
    entryTime: readOptionalTime(bytes, 19, base),
    radioControl: radio,
    inOut: bytes[24] ?? 0,
    vehicleKind: bytes[25] ?? 0,
    operatorId: readUint(bytes, 26, 3),
    shift: bytes[29] ?? 0,
    axles: bytes[30] ?? 0,
    weightKg: readUint(bytes, 31, 4),
    axleLimit: readUint(bytes, 35, 3),
    specialTruck: bytes[38] ?? 0,
    hasLiveEntry: radio === CPC_RADIO_CONTROL.on,
    ...(bytes.length === CPC_ENTRY_FILE_LENGTH ? { reserved: hexAt(bytes, 39, 89) } : {}),
  };
}

/** The whole 128 B file (what an entry writes); the first 39 B are what a reader gets back. */
export function encodeCpcEntry(entry: CpcEntry, options: CpcTimeOptions = {}): Uint8Array {
  const base = options.timeBase ?? DEFAULT_CPC_TIME_BASE;
  const out = new Uint8Array(CPC_ENTRY_FILE_LENGTH);
  putUintAt(F, out, 0, 1, entry.vehicleClass.raw, 'vehicleClass');
  out.set(
    asCpc(() => encodeGbk(F, entry.plate, 1, 12)),
    1,
  );
  putUintAt(F, out, 13, 1, entry.plateColour.raw, 'plateColour');
  if (entry.station.slice(0, 4).toUpperCase() !== entry.network.toUpperCase()) {
    throw cpcCodecError(F, 14, `station ${entry.station} does not start with network ${entry.network}`);
  }
  putHexAt(F, out, 14, 4, entry.station, 'station');
  putUintAt(F, out, 18, 1, entry.lane, 'lane');
  putTime(F, out, 19, entry.entryTime, base, 'entryTime');
  if (entry.hasLiveEntry !== (entry.radioControl === CPC_RADIO_CONTROL.on)) {
    throw cpcCodecError(
      F,
      23,
      `hasLiveEntry ${entry.hasLiveEntry} contradicts radio control ${entry.radioControl}`,
    );
  }
  putUintAt(F, out, 23, 1, entry.radioControl, 'radioControl');
  putUintAt(F, out, 24, 1, entry.inOut, 'inOut');
  putUintAt(F, out, 25, 1, entry.vehicleKind, 'vehicleKind');
  putUintAt(F, out, 26, 3, entry.operatorId, 'operatorId');
  putUintAt(F, out, 29, 1, entry.shift, 'shift');
  putUintAt(F, out, 30, 1, entry.axles, 'axles');
  putUintAt(F, out, 31, 4, entry.weightKg, 'weightKg');
  putUintAt(F, out, 35, 3, entry.axleLimit, 'axleLimit');
  putUintAt(F, out, 38, 1, entry.specialTruck, 'specialTruck');
  if (entry.reserved !== undefined) putHexAt(F, out, 39, 89, entry.reserved, 'reserved');
  return out;
}
