/**
 * Card faults the synthetic writers cannot produce by themselves, for TEST and training cards: a
 * province's EF04 block lost (all 00 or all FF, cpc-card.md §2.6 "Empty block" [P]) — the path is then
 * incomplete (§5.2 rule 1) although EF02 still counts the province.
 */
import { CPC_FEE_BLOCK_LENGTH } from '../codec/cpc-fee-blocks';
import { CPC_FILE, cpcCodecError } from '../codec/cpc-fields';
import type { CpcFiles } from '../codec/cpc-files';
import { copyCpcImages, requireCpcImages } from './cpc-images';

/** Blanks block `blockNumber` (1-based, as §2.6 numbers them) to all `fill` bytes. */
export function blankCpcFeeBlock(images: CpcFiles, blockNumber: number, fill: 0x00 | 0xff = 0x00): CpcFiles {
  requireCpcImages(images);
  const n = images.pass[0] ?? 0;
  if (!Number.isInteger(blockNumber) || blockNumber < 1 || blockNumber > n) {
    throw cpcCodecError(CPC_FILE.feeBlocks, 0, `block ${blockNumber} is not one of the card's ${n}`);
  }
  const out = copyCpcImages(images);
  const at = (blockNumber - 1) * CPC_FEE_BLOCK_LENGTH;
  out.feeBlocks.fill(fill, at, at + CPC_FEE_BLOCK_LENGTH);
  return out;
}
