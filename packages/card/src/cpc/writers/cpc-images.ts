/**
 * Whole CPC file images (the synthetic writers' input and output) and the part of them an exit reads.
 * Images use the CpcFiles shape with the files' full sizes; `cpcFilesAsRead` cuts them to what an exit's
 * reads return (cpc-card.md §2.1, §2.6 "Blocks to read").
 */
import { CPC_BASE_INFO_READ_LENGTH } from '../codec/cpc-base-info';
import { CPC_ENTRY_FILE_LENGTH, CPC_ENTRY_READ_LENGTH } from '../codec/cpc-entry';
import { CPC_FEE_BLOCK_LENGTH, CPC_FEE_FILE_LENGTH } from '../codec/cpc-fee-blocks';
import { CPC_FILE, cpcCodecError } from '../codec/cpc-fields';
import type { CpcFiles } from '../codec/cpc-files';
import { CPC_MAX_PROVINCES, CPC_PASS_FILE_LENGTH, CPC_PASS_INFO_LENGTH } from '../codec/cpc-pass-info';
import { CPC_SYS_INFO_LENGTH } from '../codec/cpc-sys-info';

/**
 * Created sizes from the vendor's re-initialisation script (cpc-card.md §2.1; production sizes are an open
 * point, §10). MF/EF02 is created with 64 B, of which an exit reads 32.
 */
export const CPC_IMAGE_SIZES: Readonly<Record<keyof CpcFiles, number>> = {
  sysInfo: CPC_SYS_INFO_LENGTH,
  baseInfo: 64,
  entry: CPC_ENTRY_FILE_LENGTH,
  pass: CPC_PASS_FILE_LENGTH,
  feeBlocks: CPC_FEE_FILE_LENGTH,
};

/** A copy of each image, so that the writers stay pure. */
export function copyCpcImages(images: CpcFiles): CpcFiles {
  return {
    sysInfo: images.sysInfo.slice(),
    baseInfo: images.baseInfo.slice(),
    entry: images.entry.slice(),
    pass: images.pass.slice(),
    feeBlocks: images.feeBlocks.slice(),
  };
}

/** Checks that each image is a whole file, so that a writer never writes past the end. */
export function requireCpcImages(images: CpcFiles): void {
  const files: readonly (keyof CpcFiles)[] = ['sysInfo', 'baseInfo', 'entry', 'pass', 'feeBlocks'];
  for (const name of files) {
    const min = name === 'baseInfo' ? CPC_BASE_INFO_READ_LENGTH : CPC_IMAGE_SIZES[name];
    if (images[name].length < min) {
      throw cpcCodecError(
        CPC_FILE[name],
        images[name].length,
        `image of ${images[name].length} B, the file has ${min}`,
      );
    }
  }
}

/**
 * What an exit reads from these images: MF/EF01 30 B, MF/EF02 32 B, DF01/EF01 39 B, DF01/EF02 101 B and the
 * n = EF02 byte 0 blocks of DF01/EF04 (none when n > 22: the exit does not read an abnormal card's EF04).
 */
export function cpcFilesAsRead(images: CpcFiles): CpcFiles {
  requireCpcImages(images);
  const n = images.pass[0] ?? 0;
  return {
    sysInfo: images.sysInfo.slice(0, CPC_SYS_INFO_LENGTH),
    baseInfo: images.baseInfo.slice(0, CPC_BASE_INFO_READ_LENGTH),
    entry: images.entry.slice(0, CPC_ENTRY_READ_LENGTH),
    pass: images.pass.slice(0, CPC_PASS_INFO_LENGTH),
    feeBlocks: images.feeBlocks.slice(0, n > CPC_MAX_PROVINCES ? 0 : n * CPC_FEE_BLOCK_LENGTH),
  };
}
