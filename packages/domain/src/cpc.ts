/**
 * The CPC's limits and file lengths (cpc-card.md §2) and its per-province fee block (§2.6): one definition for the
 * card layer's codecs, the tariff's CPC stage, the station's wire schema and its checks.
 */

/** 通行省份个数 (DF01/EF02 byte 0) and so the DF01/EF04 fee blocks a card holds: at most 22 [S TCS MAX_FEE_INFO]. */
export const CPC_MAX_PROVINCES = 22;
/** DF01/EF02's 本省 path: at most 24 gantry HEX entries (§2.5). */
export const CPC_MAX_PATH_GANTRIES = 24;
/** One DF01/EF04 fee block: 23 B, block N at (N − 1) × 23 (§2.6). */
export const CPC_FEE_BLOCK_LENGTH = 23;

/**
 * What an exit reads of each file (§4 "Exit"): MF/EF01 system information 30 B, MF/EF02 base information 32 B,
 * DF01/EF01 entry 39 B, DF01/EF02 pass information 101 B; DF01/EF04 is 23 B × n.
 */
export const CPC_READ_LENGTHS = { sysInfo: 30, baseInfo: 32, entry: 39, pass: 101 } as const;

/** The whole files as a card holds them (§2.1): DF01/EF01, EF02 and EF04 are 128, 512 and 512 B. */
export const CPC_FILE_LENGTHS = { sysInfo: 30, baseInfo: 32, entry: 128, pass: 512, feeBlocks: 512 } as const;

/** One DF01/EF04 fee block as decoded (cpc-card.md §2.6): what the card layer gives and the tariff prices. */
export interface CpcFeeBlock {
  /** 省份行政区域编码, raw byte; [I] probably 0x61 陕西, 0x62 甘肃 — the mapping is configurable. */
  readonly province: number;
  /** 本省 ETC 门架通行个数. */
  readonly gantryCount: number;
  /** 本省累计计费金额, fen (3 B on the card: ≤ 0xFFFFFF). */
  readonly fee: number;
  /** 本省累计计费里程, metres (3 B). */
  readonly mileageM: number;
  /** 本省入口门架 HEX (6 hex characters). */
  readonly entryGantry: string;
  readonly entryTime: Date;
  /** 最新 ETC 门架 HEX (6 hex characters). */
  readonly latestGantry: string;
  readonly latestTime: Date;
  /** Byte 22, the latest gantry's 拟合 flag, was 01 (failed). */
  readonly fitFailed: boolean;
  /** All 23 bytes 00 or FF: no gantry of that province wrote it (path incomplete); the other fields are 0. */
  readonly empty: boolean;
}
