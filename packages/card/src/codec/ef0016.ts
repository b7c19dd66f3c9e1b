/** 0016 持卡人基本数据 (55 B). Cards that are not personalised hold 0xFF throughout. */
import { bytesToHex, hexToBytes } from '../apdu/hex';
import { CodecError, requireFileLength } from './errors';
import { decodeGbk, encodeGbk } from './gbk';

const F = '0016';

export type Ef0016 =
  | { readonly personalised: false; readonly raw: string }
  | {
      readonly personalised: true;
      readonly holderType: number;
      readonly staffFlag: number;
      readonly name: string;
      readonly idNumber: string;
      readonly idType: number;
    };

export function decodeEf0016(bytes: Uint8Array): Ef0016 {
  requireFileLength(F, bytes, [55]);
  if (bytes.every((b) => b === 0xff)) return { personalised: false, raw: bytesToHex(bytes) };
  let end = 54;
  while (end > 22 && (bytes[end - 1] === 0x00 || bytes[end - 1] === 0x20)) end--;
  let idNumber = '';
  for (let i = 22; i < end; i++) {
    const b = bytes[i]!;
    if (b < 0x20 || b > 0x7e) throw new CodecError(F, i, `证件号码 is not ASCII: 0x${b.toString(16)}`);
    idNumber += String.fromCharCode(b);
  }
  return {
    personalised: true,
    holderType: bytes[0]!,
    staffFlag: bytes[1]!,
    name: decodeGbk(F, bytes, 2, 20),
    idNumber,
    idType: bytes[54]!,
  };
}

export function encodeEf0016(ef: Ef0016): Uint8Array {
  if (!ef.personalised) return hexToBytes(ef.raw);
  const out = new Uint8Array(55);
  out[0] = ef.holderType & 0xff;
  out[1] = ef.staffFlag & 0xff;
  out.set(encodeGbk(F, ef.name, 2, 20), 2);
  if (ef.idNumber.length > 32 || !/^[\x21-\x7e]*$/.test(ef.idNumber)) {
    throw new CodecError(F, 22, `证件号码 must be ≤ 32 printable ASCII characters`);
  }
  for (let i = 0; i < ef.idNumber.length; i++) out[22 + i] = ef.idNumber.charCodeAt(i);
  out[54] = ef.idType & 0xff;
  return out;
}
