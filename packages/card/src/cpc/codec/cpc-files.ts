/**
 * The five CPC files as one exit reads them (cpc-card.md §4 "Exit"), raw, and their decoding. The station
 * decodes the raw bytes itself; the EF04 read must hold exactly the n blocks EF02 byte 0 announces (§2.6).
 */
import { DEFAULT_CPC_TIME_BASE } from '../cpc-time';
import { type CpcBaseInfo, decodeCpcBaseInfo } from './cpc-base-info';
import { type CpcEntry, decodeCpcEntry } from './cpc-entry';
import { CPC_FEE_BLOCK_LENGTH, type CpcFeeBlock, decodeCpcFeeBlocks } from './cpc-fee-blocks';
import { CPC_FILE, type CpcTimeOptions, cpcCodecError, decodingCpc } from './cpc-fields';
import { type CpcPassInfo, decodeCpcPassInfo } from './cpc-pass-info';
import { type CpcSysInfo, decodeCpcSysInfo } from './cpc-sys-info';

/** Raw bytes as read: MF/EF01 30 B, MF/EF02 32 B, DF01/EF01 39 B, DF01/EF02 101 B, DF01/EF04 23·n B. */
export interface CpcFiles {
  readonly sysInfo: Uint8Array;
  readonly baseInfo: Uint8Array;
  readonly entry: Uint8Array;
  readonly pass: Uint8Array;
  readonly feeBlocks: Uint8Array;
}

export interface CpcCard {
  readonly sys: CpcSysInfo;
  readonly base: CpcBaseInfo;
  readonly entry: CpcEntry;
  readonly pass: CpcPassInfo;
  readonly blocks: readonly CpcFeeBlock[];
}

/** A file that does not decode is CPC_UNREADABLE (file, offset and reason kept). */
export function decodeCpcFiles(files: CpcFiles, options: CpcTimeOptions = {}): CpcCard {
  return decodingCpc(() => decodeFiles(files, options));
}

function decodeFiles(files: CpcFiles, options: CpcTimeOptions = {}): CpcCard {
  const opts = { timeBase: options.timeBase ?? DEFAULT_CPC_TIME_BASE };
  const pass = decodeCpcPassInfo(files.pass, opts);
  const expected = pass.provinceCount * CPC_FEE_BLOCK_LENGTH;
  if (files.feeBlocks.length !== expected) {
    throw cpcCodecError(
      CPC_FILE.feeBlocks,
      Math.min(files.feeBlocks.length, expected),
      `${files.feeBlocks.length} B read, EF02 announces ${pass.provinceCount} block(s) = ${expected} B`,
    );
  }
  return {
    sys: decodeCpcSysInfo(files.sysInfo),
    base: decodeCpcBaseInfo(files.baseInfo),
    entry: decodeCpcEntry(files.entry, opts),
    pass,
    blocks: decodeCpcFeeBlocks(files.feeBlocks, opts),
  };
}
