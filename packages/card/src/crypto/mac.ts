/** The MAC constructions the card, the PSAM and secure messaging use (reference §4). */
import { type BlockCipher, Des } from './des';
import { BlockLengthError, padIso9797M2 } from './modes';
import { Sm4 } from './sm4';

/**
 * PBOC CBC-MAC: pad 80 00…, CBC-encrypt from `iv` (zero by default), keep the first `length` bytes of the last
 * block. With a single-DES cipher this is the purse MAC1/MAC2/TAC function; with SM4 it is the SM4 MAC.
 */
export function cbcMac(cipher: BlockCipher, data: Uint8Array, iv?: Uint8Array, length = 4): Uint8Array {
  const bs = cipher.blockSize;
  const padded = padIso9797M2(data, bs);
  const chain = iv ? Uint8Array.from(iv) : new Uint8Array(bs);
  if (chain.length !== bs) throw new BlockLengthError(chain.length, bs);
  for (let o = 0; o < padded.length; o += bs) {
    for (let i = 0; i < bs; i++) chain[i]! ^= padded[o + i]!;
    cipher.encryptBlock(chain, 0, chain, 0);
  }
  return chain.slice(0, length);
}

/**
 * ISO 9797-1 MAC algorithm 3 ("retail MAC") for secure messaging with a 16-byte key: DES-CBC with K_L over every
 * block, then the last block D(K_R) and E(K_L). IV = random(4) ‖ 00000000 on ETC cards (S1 crypto.MAC).
 */
export function retailMac(key16: Uint8Array, data: Uint8Array, iv?: Uint8Array, length = 4): Uint8Array {
  if (key16.length !== 16) throw new BlockLengthError(key16.length, 16);
  const left = new Des(key16.subarray(0, 8));
  const right = new Des(key16.subarray(8, 16));
  const padded = padIso9797M2(data, 8);
  const chain = iv ? Uint8Array.from(iv) : new Uint8Array(8);
  if (chain.length !== 8) throw new BlockLengthError(chain.length, 8);
  for (let o = 0; o < padded.length; o += 8) {
    for (let i = 0; i < 8; i++) chain[i]! ^= padded[o + i]!;
    left.encryptBlock(chain, 0, chain, 0);
  }
  right.decryptBlock(chain, 0, chain, 0);
  left.encryptBlock(chain, 0, chain, 0);
  return chain.slice(0, length);
}

/** Secure-messaging IV: the 4-byte card challenge followed by zeros up to the block size. */
export function challengeIv(random4: Uint8Array, blockSize: 8 | 16): Uint8Array {
  const iv = new Uint8Array(blockSize);
  iv.set(random4.subarray(0, 4));
  return iv;
}

/** SM4 MAC (S1 calc_data_mac): SM4-CBC over data ‖ 80 00…, IV = random(4) ‖ 12 × 00 (zero if no random). */
export function sm4Mac(key16: Uint8Array, data: Uint8Array, random4?: Uint8Array): Uint8Array {
  return cbcMac(new Sm4(key16), data, random4 ? challengeIv(random4, 16) : undefined);
}

/** SM4 external-auth fold (S2 writeCpcData): encrypt one 16-byte block, XOR the halves → 8 bytes. */
export function sm4Fold8(key16: Uint8Array, block16: Uint8Array): Uint8Array {
  const out = new Uint8Array(16);
  new Sm4(key16).encryptBlock(block16, 0, out, 0);
  return out.subarray(0, 8).map((b, i) => b ^ out[8 + i]!);
}
