/**
 * DF01/EF04 计费信息, cpc-card.md §2.6: one 23 B block per province, block N at (N−1)×23, at most 22.
 * An empty block is all 00 (the entry's clear) or all FF [P]; it is reported, not refused, because an
 * empty block among the n read means an incomplete path — a fee rule, not a bad card (§5.2).
 */
import { CPC_FEE_BLOCK_LENGTH, CPC_FILE_LENGTHS, CPC_MAX_PROVINCES, type CpcFeeBlock } from '@tollpad/domain';
import { readUint } from '../../apdu/hex';
import { CodecError } from '../../codec/errors';
import { type CpcTimeBase, DEFAULT_CPC_TIME_BASE } from '../cpc-time';
import {
  CPC_FILE,
  type CpcTimeOptions,
  cpcCodecError,
  decodingCpc,
  hexAt,
  putHexAt,
  putTime,
  putUintAt,
  readTime,
} from './cpc-fields';

const F = CPC_FILE.feeBlocks;

/** One block's length and its decoded fields are the domain's (the tariff prices the same CpcFeeBlock). */
export { CPC_FEE_BLOCK_LENGTH, type CpcFeeBlock };
/** The re-initialisation size of the file (cpc-card.md §2.1). */
export const CPC_FEE_FILE_LENGTH = CPC_FILE_LENGTHS.feeBlocks;

/** Byte 22, the latest gantry's 拟合 flag. */
const FIT_OK = 0x00;
const FIT_FAILED = 0x01;

function isEmpty(block: Uint8Array): boolean {
  return block.every((b) => b === 0x00) || block.every((b) => b === 0xff);
}

function decodeBlock(bytes: Uint8Array, off: number, base: CpcTimeBase): CpcFeeBlock {
  const block = bytes.subarray(off, off + CPC_FEE_BLOCK_LENGTH);
  if (isEmpty(block)) return emptyCpcFeeBlock(base);
  const fit = block[22] ?? 0;
  if (fit !== FIT_OK && fit !== FIT_FAILED) {
    throw cpcCodecError(
      F,
      off + 22,
      `fitting flag 0x${fit.toString(16).padStart(2, '0')}, expected 00 or 01`,
    );
  }
  return {
    province: block[0] ?? 0,
    gantryCount: block[1] ?? 0,
    fee: readUint(block, 2, 3),
    mileageM: readUint(block, 5, 3),
    entryGantry: hexAt(block, 8, 3),
    entryTime: readTime(block, 11, base),
    latestGantry: hexAt(block, 15, 3),
    latestTime: readTime(block, 18, base),
    fitFailed: fit === FIT_FAILED,
    empty: false,
  };
}

/** What a decoded empty block holds (times are card second 0). */
export function emptyCpcFeeBlock(base: CpcTimeBase = DEFAULT_CPC_TIME_BASE): CpcFeeBlock {
  const zero = readTime(new Uint8Array(4), 0, base);
  return {
    province: 0,
    gantryCount: 0,
    fee: 0,
    mileageM: 0,
    entryGantry: '000000',
    entryTime: zero,
    latestGantry: '000000',
    latestTime: zero,
    fitFailed: false,
    empty: true,
  };
}

/** The n blocks read (23·n bytes, n ≤ 22). */
/** A file that does not decode is CPC_UNREADABLE (file, offset and reason kept). */
export function decodeCpcFeeBlocks(bytes: Uint8Array, options: CpcTimeOptions = {}): CpcFeeBlock[] {
  return decodingCpc(() => decodeFeeBlocks(bytes, options));
}

function decodeFeeBlocks(bytes: Uint8Array, options: CpcTimeOptions = {}): CpcFeeBlock[] {
  const base = options.timeBase ?? DEFAULT_CPC_TIME_BASE;
  if (bytes.length % CPC_FEE_BLOCK_LENGTH !== 0) {
    throw cpcCodecError(
      F,
      bytes.length - (bytes.length % CPC_FEE_BLOCK_LENGTH),
      `length ${bytes.length} is not a multiple of ${CPC_FEE_BLOCK_LENGTH}`,
    );
  }
  const n = bytes.length / CPC_FEE_BLOCK_LENGTH;
  if (n > CPC_MAX_PROVINCES) {
    throw cpcCodecError(
      F,
      CPC_MAX_PROVINCES * CPC_FEE_BLOCK_LENGTH,
      `${n} blocks, at most ${CPC_MAX_PROVINCES}`,
    );
  }
  const blocks: CpcFeeBlock[] = [];
  for (let i = 0; i < n; i++) blocks.push(decodeBlock(bytes, i * CPC_FEE_BLOCK_LENGTH, base));
  return blocks;
}

/** One 23 B block as a gantry writes it; `at` is the block's offset in the file (for errors). An empty block is 00s. */
export function encodeCpcFeeBlock(block: CpcFeeBlock, options: CpcTimeOptions = {}, at = 0): Uint8Array {
  try {
    return encodeBlock(block, options.timeBase ?? DEFAULT_CPC_TIME_BASE);
  } catch (e) {
    if (e instanceof CodecError) throw cpcCodecError(F, at + e.offset, e.reason);
    throw e;
  }
}

function encodeBlock(block: CpcFeeBlock, base: CpcTimeBase): Uint8Array {
  const out = new Uint8Array(CPC_FEE_BLOCK_LENGTH);
  if (block.empty) return out;
  putUintAt(F, out, 0, 1, block.province, 'province');
  putUintAt(F, out, 1, 1, block.gantryCount, 'gantryCount');
  putUintAt(F, out, 2, 3, block.fee, 'fee');
  putUintAt(F, out, 5, 3, block.mileageM, 'mileageM');
  putHexAt(F, out, 8, 3, block.entryGantry, 'entryGantry');
  putTime(F, out, 11, block.entryTime, base, 'entryTime');
  putHexAt(F, out, 15, 3, block.latestGantry, 'latestGantry');
  putTime(F, out, 18, block.latestTime, base, 'latestTime');
  out[22] = block.fitFailed ? FIT_FAILED : FIT_OK;
  if (isEmpty(out)) throw cpcCodecError(F, 0, 'a non-empty block would encode as all 00 or all FF');
  return out;
}

export function encodeCpcFeeBlocks(blocks: readonly CpcFeeBlock[], options: CpcTimeOptions = {}): Uint8Array {
  if (blocks.length > CPC_MAX_PROVINCES) {
    throw cpcCodecError(
      F,
      CPC_MAX_PROVINCES * CPC_FEE_BLOCK_LENGTH,
      `${blocks.length} blocks, at most ${CPC_MAX_PROVINCES}`,
    );
  }
  const out = new Uint8Array(blocks.length * CPC_FEE_BLOCK_LENGTH);
  blocks.forEach((b, i) => {
    out.set(encodeCpcFeeBlock(b, options, i * CPC_FEE_BLOCK_LENGTH), i * CPC_FEE_BLOCK_LENGTH);
  });
  return out;
}
