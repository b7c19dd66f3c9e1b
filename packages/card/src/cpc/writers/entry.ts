/**
 * What an entry writes on a CPC (cpc-card.md §4 "Entry order" [P]): clear DF01/EF02 (101 B) and DF01/EF04
 * (the two 253 B UPDATEs), then DF01/EF01 whole (128 B) with byte 23 = 01 (radio on) and byte 24 = the
 * [P] "entered" flag. A pure transform of the file images; no authentication is modelled here.
 */
import { plateColourOf, vehicleClassOf } from '../../codec/coded';
import { CPC_IN_OUT, CPC_RADIO_CONTROL, encodeCpcEntry } from '../codec/cpc-entry';
import type { CpcTimeOptions } from '../codec/cpc-fields';
import type { CpcFiles } from '../codec/cpc-files';
import { CPC_PASS_INFO_LENGTH } from '../codec/cpc-pass-info';
import { copyCpcImages, requireCpcImages } from './cpc-images';

/** `00D6 8400 FD` then `00D6 84FD FD`: 2 × 253 B of EF04 cleared (cpc-card.md §4). */
const FEE_CLEAR_LENGTH = 2 * 0xfd;

export interface CpcEntryWrite {
  readonly vehicleClass: number;
  readonly plate: string;
  readonly plateColour: number;
  /** 8 hex digits: network + station (e.g. 61010203). */
  readonly station: string;
  readonly lane: number;
  readonly time: Date;
  readonly vehicleKind?: number;
  readonly operatorId?: number;
  readonly shift?: number;
  readonly axles?: number;
  readonly weightKg?: number;
  readonly axleLimit?: number;
  readonly specialTruck?: number;
}

export interface CpcEntryWriterOptions extends CpcTimeOptions {
  /** [P] cpc-card.md §2.4: byte 24's "entered" value is not sourced; 01 by default, configurable. */
  readonly inOutEntered?: number;
}

export function writeCpcEntry(
  images: CpcFiles,
  entry: CpcEntryWrite,
  options: CpcEntryWriterOptions = {},
): CpcFiles {
  requireCpcImages(images);
  // Encode first: a refused field leaves nothing half-written.
  const ef01 = encodeCpcEntry(
    {
      vehicleClass: vehicleClassOf(entry.vehicleClass),
      plate: entry.plate,
      plateColour: plateColourOf(entry.plateColour),
      network: entry.station.slice(0, 4),
      station: entry.station,
      lane: entry.lane,
      entryTime: entry.time,
      radioControl: CPC_RADIO_CONTROL.on,
      inOut: options.inOutEntered ?? CPC_IN_OUT.entered,
      vehicleKind: entry.vehicleKind ?? 0,
      operatorId: entry.operatorId ?? 0,
      shift: entry.shift ?? 0,
      axles: entry.axles ?? 0,
      weightKg: entry.weightKg ?? 0,
      axleLimit: entry.axleLimit ?? 0,
      specialTruck: entry.specialTruck ?? 0,
      hasLiveEntry: true,
    },
    options,
  );
  const out = copyCpcImages(images);
  out.pass.fill(0, 0, CPC_PASS_INFO_LENGTH);
  out.feeBlocks.fill(0, 0, Math.min(FEE_CLEAR_LENGTH, out.feeBlocks.length));
  out.entry.set(ef01, 0);
  // The card reports its 5.8 GHz state in MF/EF02 byte 1; the synthetic card follows byte 23 at once.
  out.baseInfo[1] = 1;
  return out;
}
