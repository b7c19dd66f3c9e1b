/** ECB/CBC over any BlockCipher, plus the ISO 9797-1 method 2 padding ("80 00…") used by PBOC MACs. */
import { CardError } from '../errors';
import type { BlockCipher } from './des';

export class BlockLengthError extends CardError {
  constructor(length: number, blockSize: number) {
    super('CRYPTO_BLOCK_LENGTH', {
      message: `data length ${length} is not a multiple of the block size ${blockSize}`,
    });
    this.name = 'BlockLengthError';
  }
}

function checkLength(data: Uint8Array, bs: number): void {
  if (data.length % bs !== 0) throw new BlockLengthError(data.length, bs);
}

export function ecbEncrypt(cipher: BlockCipher, data: Uint8Array): Uint8Array {
  const bs = cipher.blockSize;
  checkLength(data, bs);
  const out = new Uint8Array(data.length);
  for (let o = 0; o < data.length; o += bs) cipher.encryptBlock(data, o, out, o);
  return out;
}

export function ecbDecrypt(cipher: BlockCipher, data: Uint8Array): Uint8Array {
  const bs = cipher.blockSize;
  checkLength(data, bs);
  const out = new Uint8Array(data.length);
  for (let o = 0; o < data.length; o += bs) cipher.decryptBlock(data, o, out, o);
  return out;
}

export function cbcEncrypt(cipher: BlockCipher, data: Uint8Array, iv?: Uint8Array): Uint8Array {
  const bs = cipher.blockSize;
  checkLength(data, bs);
  const out = new Uint8Array(data.length);
  const chain = iv ? Uint8Array.from(iv) : new Uint8Array(bs);
  if (chain.length !== bs) throw new BlockLengthError(chain.length, bs);
  for (let o = 0; o < data.length; o += bs) {
    for (let i = 0; i < bs; i++) chain[i]! ^= data[o + i]!;
    cipher.encryptBlock(chain, 0, out, o);
    chain.set(out.subarray(o, o + bs));
  }
  return out;
}

export function cbcDecrypt(cipher: BlockCipher, data: Uint8Array, iv?: Uint8Array): Uint8Array {
  const bs = cipher.blockSize;
  checkLength(data, bs);
  const out = new Uint8Array(data.length);
  const prev = iv ? Uint8Array.from(iv) : new Uint8Array(bs);
  if (prev.length !== bs) throw new BlockLengthError(prev.length, bs);
  for (let o = 0; o < data.length; o += bs) {
    cipher.decryptBlock(data, o, out, o);
    for (let i = 0; i < bs; i++) out[o + i]! ^= prev[i]!;
    prev.set(data.subarray(o, o + bs));
  }
  return out;
}

/** ISO 9797-1 padding method 2: always append 80, then 00 up to the block size. */
export function padIso9797M2(data: Uint8Array, blockSize: number): Uint8Array {
  const len = (Math.floor(data.length / blockSize) + 1) * blockSize;
  const out = new Uint8Array(len);
  out.set(data);
  out[data.length] = 0x80;
  return out;
}

export function xorBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(Math.min(a.length, b.length));
  for (let i = 0; i < out.length; i++) out[i] = a[i]! ^ b[i]!;
  return out;
}
