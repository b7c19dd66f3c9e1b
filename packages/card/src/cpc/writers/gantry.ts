/**
 * What one gantry writes on a CPC it passes (cpc-card.md §2.5, §2.6, §4): the current province's EF04
 * block (updated, or appended when the card enters a new province) and the first 101 B of EF02 (the
 * province count, the local header and the local path). A pure transform of the file images.
 *
 * A gantry that did not write the card (`missed`) leaves it unchanged: its fee and HEX are absent, as on a
 * real card after a failed 5.8 GHz transaction. `fitFailed` sets the block's 拟合 flag to 01.
 */
import {
  CPC_FEE_BLOCK_LENGTH,
  type CpcFeeBlock,
  decodeCpcFeeBlocks,
  encodeCpcFeeBlock,
} from '../codec/cpc-fee-blocks';
import { CPC_FILE, type CpcTimeOptions, cpcCodecError } from '../codec/cpc-fields';
import type { CpcFiles } from '../codec/cpc-files';
import {
  CPC_MAX_PATH_GANTRIES,
  CPC_MAX_PROVINCES,
  decodeCpcPassInfo,
  encodeCpcPassInfo,
} from '../codec/cpc-pass-info';
import { copyCpcImages, requireCpcImages } from './cpc-images';

export interface CpcGantryPass {
  /** Gantry HEX, 6 hex digits. */
  readonly gantryHex: string;
  /** EF04 province byte ([I] e.g. 0x61 陕西, 0x62 甘肃; configurable). */
  readonly province: number;
  readonly time: Date;
  /** This gantry's fee, fen. */
  readonly fee: number;
  readonly mileageM: number;
  /** A province-border gantry (the planner's and the fee checks' business; the card does not record it). */
  readonly border?: boolean;
  /** The gantry's path fitting failed: the block's flag becomes 01. */
  readonly fitFailed?: boolean;
  /** The gantry did not write the card (a skipped/missing gantry). */
  readonly missed?: boolean;
}

export function writeCpcGantry(
  images: CpcFiles,
  pass: CpcGantryPass,
  options: CpcTimeOptions = {},
): CpcFiles {
  requireCpcImages(images);
  if (pass.missed) return copyCpcImages(images);
  const header = decodeCpcPassInfo(images.pass, options);
  const n = header.provinceCount;
  const blocks = decodeCpcFeeBlocks(images.feeBlocks.subarray(0, n * CPC_FEE_BLOCK_LENGTH), options);
  const last = blocks[n - 1];
  const sameProvince = last !== undefined && !last.empty && last.province === pass.province;
  if (!sameProvince && n >= CPC_MAX_PROVINCES) {
    throw cpcCodecError(CPC_FILE.feeBlocks, n * CPC_FEE_BLOCK_LENGTH, `no room for province ${n + 1}`);
  }
  const block: CpcFeeBlock =
    sameProvince && last
      ? {
          ...last,
          gantryCount: last.gantryCount + 1,
          fee: last.fee + pass.fee,
          mileageM: last.mileageM + pass.mileageM,
          latestGantry: pass.gantryHex,
          latestTime: pass.time,
          fitFailed: pass.fitFailed ?? false,
        }
      : {
          province: pass.province,
          gantryCount: 1,
          fee: pass.fee,
          mileageM: pass.mileageM,
          entryGantry: pass.gantryHex,
          entryTime: pass.time,
          latestGantry: pass.gantryHex,
          latestTime: pass.time,
          fitFailed: pass.fitFailed ?? false,
          empty: false,
        };
  const index = sameProvince ? n - 1 : n;
  const at = index * CPC_FEE_BLOCK_LENGTH;
  const path = sameProvince ? [...header.gantries, pass.gantryHex] : [pass.gantryHex];
  // [P] A real gantry overwrites a long list with its fitted path (§2.5); the synthetic one keeps the
  // province's first gantry and the latest ones.
  const kept =
    path.length > CPC_MAX_PATH_GANTRIES ? [path[0] ?? '', ...path.slice(-(CPC_MAX_PATH_GANTRIES - 1))] : path;
  // Encoded before anything is written: a sum that outgrows its 3 bytes is refused, not wrapped.
  const ef04 = encodeCpcFeeBlock(block, options, at);
  const ef02 = encodeCpcPassInfo(
    {
      provinceCount: index + 1,
      localGantryCount: block.gantryCount,
      localFee: block.fee,
      localMileageM: block.mileageM,
      localEntryGantry: block.entryGantry,
      localEntryTime: block.entryTime,
      latestGantry: pass.gantryHex,
      latestTime: pass.time,
      latestFee: pass.fee,
      latestMileageM: pass.mileageM,
      gantries: kept,
    },
    options,
  );
  const out = copyCpcImages(images);
  out.feeBlocks.set(ef04, at);
  out.pass.set(ef02, 0);
  return out;
}
