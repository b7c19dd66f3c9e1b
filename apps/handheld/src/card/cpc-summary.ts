import type { CpcCard } from '@tollpad/card';

/** One province's fee block of the CPC (DF01/EF04), as the card panel lists it. */
export interface CpcBlockSummary {
  /** 省份行政区域编码 as the raw byte ([I] mapping to a name is configurable; shown as hex). */
  province: number;
  gantryCount: number;
  /** fen */
  fee: number;
  mileageM: number;
  /** 拟合 failed at the province's latest gantry. */
  fitFailed: boolean;
  /** All 00 or all FF: the path is incomplete. */
  empty: boolean;
}

/**
 * The CPC as the handheld decoded it, for the card panel (cpc-card.md §2). Never sent as truth: the
 * station decodes the raw files itself.
 */
export interface CpcSummary {
  cpcId: string;
  /** Issuer area factor (GBK province name as hex, cpc-card.md §2.2). */
  issuerArea: string;
  /** The live entry (EF01 byte 23 = 01), else null: never entered or already closed. */
  entry: {
    /** Net + station, 8 hex digits. */
    station: string;
    lane: number;
    /** ISO-8601; null when the card holds no time. */
    time: string | null;
    plate: string;
    plateColour: number;
    vehicleClass: number;
    vehicleKind: number;
  } | null;
  /** EF02 byte 0, the number of fee blocks. */
  provinceCount: number;
  blocks: CpcBlockSummary[];
  /** Σ block fees (fen): the card amount A of cpc-card.md §5.2. */
  feeSum: number;
  /** The current province's path, gantry HEX. */
  gantries: string[];
  batteryPercent: number;
  batteryLow: boolean;
  /** MF/EF02 byte 1: the 5.8 GHz radio state the card reports. */
  radioOn: boolean;
}

export function cpcSummaryOf(c: CpcCard): CpcSummary {
  const e = c.entry;
  const blocks = c.blocks.map((b) => ({
    province: b.province,
    gantryCount: b.gantryCount,
    fee: b.fee,
    mileageM: b.mileageM,
    fitFailed: b.fitFailed,
    empty: b.empty,
  }));
  return {
    cpcId: c.sys.cpcId,
    issuerArea: c.sys.area,
    entry: e.hasLiveEntry
      ? {
          station: e.station,
          lane: e.lane,
          time: e.entryTime ? e.entryTime.toISOString() : null,
          plate: e.plate,
          plateColour: e.plateColour.raw,
          vehicleClass: e.vehicleClass.raw,
          vehicleKind: e.vehicleKind,
        }
      : null,
    provinceCount: c.pass.provinceCount,
    blocks,
    feeSum: blocks.reduce((sum, b) => sum + (b.empty ? 0 : b.fee), 0),
    gantries: [...c.pass.gantries],
    batteryPercent: c.base.batteryPercent,
    batteryLow: c.base.batteryLow,
    radioOn: c.base.radioOn,
  };
}
