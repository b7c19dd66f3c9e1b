import { err, ok, type Result } from '@tollpad/domain';
import { crc32 } from './crc32';
import type { ListDelta } from './delta';
import { ListError } from './errors';
import { kindOfCode, LIST_KIND_CODE } from './kinds';
import { StatusIndex } from './status-index';

/**
 * Binary list file (little-endian), loaded without parsing text: the arrays are viewed in place.
 *   0  magic 'TPSL'            4  u16 format version (1)     6  u8 file type (1 full, 2 delta)
 *   7  u8 list kind (1 card, 2 obu, 3 chase, 4 green, 5 emergency, 6 green ban)
 *   8  u32 count (entries / upserts)      12 u32 remove count (delta; 0 for full)
 *   16 u32 payload offset (multiple of 8) 20 u32 reserved
 *   24 strings, each u8 length + UTF-8: version (to-version), from-version (delta), label; zero pad to 8
 *   payload: hi u32[count], lo u32[count], type u8[count], pad to 4, rmHi u32[rc], rmLo u32[rc]
 *   trailer: u32 CRC-32 of every byte before it
 */
export const LIST_MAGIC = 'TPSL';
export const LIST_FORMAT_VERSION = 1;
const HEADER_FIXED = 24;

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const enc = new TextEncoder();
const dec = new TextDecoder('utf-8', { fatal: true });

interface Parts {
  fileType: 1 | 2;
  kindCode: number;
  version: string;
  fromVersion: string;
  label: string;
  hi: Uint32Array;
  lo: Uint32Array;
  types: Uint8Array;
  rmHi: Uint32Array;
  rmLo: Uint32Array;
}

function encode(p: Parts): Uint8Array {
  const strs = [p.version, p.fromVersion, p.label].map((s) => enc.encode(s).subarray(0, 255));
  const strBytes = strs.reduce((a, s) => a + 1 + s.length, 0);
  const payloadOff = align(HEADER_FIXED + strBytes, 8);
  const n = p.hi.length;
  const rc = p.rmHi.length;
  const typesEnd = payloadOff + 8 * n + n;
  const rmOff = align(typesEnd, 4);
  const total = rmOff + 8 * rc + 4;
  const out = new Uint8Array(total);
  const dv = new DataView(out.buffer);
  out.set(enc.encode(LIST_MAGIC), 0);
  dv.setUint16(4, LIST_FORMAT_VERSION, true);
  out[6] = p.fileType;
  out[7] = p.kindCode;
  dv.setUint32(8, n, true);
  dv.setUint32(12, rc, true);
  dv.setUint32(16, payloadOff, true);
  let o = HEADER_FIXED;
  for (const s of strs) {
    out[o++] = s.length;
    out.set(s, o);
    o += s.length;
  }
  out.set(bytesOf(p.hi), payloadOff);
  out.set(bytesOf(p.lo), payloadOff + 4 * n);
  out.set(p.types, payloadOff + 8 * n);
  out.set(bytesOf(p.rmHi), rmOff);
  out.set(bytesOf(p.rmLo), rmOff + 4 * rc);
  dv.setUint32(total - 4, crc32(out, 0, total - 4), true);
  return out;
}

function align(n: number, a: number): number {
  return Math.ceil(n / a) * a;
}

function bytesOf(a: Uint32Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

export function encodeFullList(layered: StatusIndex): Uint8Array {
  if (!LITTLE_ENDIAN) throw new ListError('LIST_ENDIAN', 'platform', '仅支持小端平台');
  const index = layered.materialize();
  const none = new Uint32Array(0);
  return encode({
    fileType: 1,
    kindCode: LIST_KIND_CODE[index.kind],
    version: index.version,
    fromVersion: '',
    label: index.label,
    hi: index.hi,
    lo: index.lo,
    types: index.types,
    rmHi: none,
    rmLo: none,
  });
}

export function encodeDeltaList(d: ListDelta): Uint8Array {
  if (!LITTLE_ENDIAN) throw new ListError('LIST_ENDIAN', 'platform', '仅支持小端平台');
  return encode({
    fileType: 2,
    kindCode: LIST_KIND_CODE[d.kind],
    version: d.toVersion,
    fromVersion: d.fromVersion,
    label: d.label,
    hi: d.upHi,
    lo: d.upLo,
    types: d.upTypes,
    rmHi: d.rmHi,
    rmLo: d.rmLo,
  });
}

export type DecodedList =
  | { readonly type: 'full'; readonly index: StatusIndex }
  | { readonly type: 'delta'; readonly delta: ListDelta };

const bad = (field: string, reason: string) => err(new ListError('LIST_FORMAT', field, reason));

/** Views a uint32 array in place when aligned, else copies (e.g. a pooled Node Buffer). */
function u32(bytes: Uint8Array, off: number, n: number): Uint32Array {
  const abs = bytes.byteOffset + off;
  if (abs % 4 === 0) return new Uint32Array(bytes.buffer, abs, n);
  return new Uint32Array(bytes.slice(off, off + 4 * n).buffer);
}

/** Checks magic, sizes and the CRC, then views the arrays without copying. */
export function decodeList(
  bytes: Uint8Array,
  opts: { verifyChecksum?: boolean } = {},
): Result<DecodedList, ListError> {
  if (!LITTLE_ENDIAN) return err(new ListError('LIST_ENDIAN', 'platform', '仅支持小端平台'));
  if (bytes.length < HEADER_FIXED + 7) return bad('length', '名单文件过短');
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (dec.decode(bytes.subarray(0, 4)) !== LIST_MAGIC) return bad('magic', '不是名单文件（文件标识错误）');
  if (dv.getUint16(4, true) !== LIST_FORMAT_VERSION) return bad('formatVersion', '不支持的名单文件格式版本');
  const fileType = bytes[6];
  const kind = kindOfCode(bytes[7]!);
  if (fileType !== 1 && fileType !== 2) return bad('fileType', '未知的名单文件类型');
  if (!kind) return bad('kind', `未知名单种类 ${bytes[7]}`);
  const n = dv.getUint32(8, true);
  const rc = dv.getUint32(12, true);
  const payloadOff = dv.getUint32(16, true);
  const rmOff = align(payloadOff + 9 * n, 4);
  const total = rmOff + 8 * rc + 4;
  if (payloadOff % 8 !== 0 || payloadOff < HEADER_FIXED || total !== bytes.length) {
    return bad('length', `名单文件长度 ${bytes.length} 与头部声明不符`);
  }
  if (opts.verifyChecksum !== false) {
    const want = dv.getUint32(bytes.length - 4, true);
    if (crc32(bytes, 0, bytes.length - 4) !== want) {
      return err(new ListError('LIST_CHECKSUM', 'crc32', '名单文件校验和错误，已拒绝'));
    }
  }
  const strs: string[] = [];
  let o = HEADER_FIXED;
  for (let s = 0; s < 3; s++) {
    const len = bytes[o++] ?? 0;
    if (o + len > payloadOff) return bad('header', '名单文件头字符串越界');
    try {
      strs.push(dec.decode(bytes.subarray(o, o + len)));
    } catch {
      return bad('header', '名单文件头字符串不是UTF-8');
    }
    o += len;
  }
  const [version = '', fromVersion = '', label = ''] = strs;
  const hi = u32(bytes, payloadOff, n);
  const lo = u32(bytes, payloadOff + 4 * n, n);
  const types = bytes.subarray(payloadOff + 8 * n, payloadOff + 9 * n);
  if (fileType === 1) {
    if (rc !== 0) return bad('removeCount', '全量名单不应含删除项');
    const index = new StatusIndex(kind, version, label, hi, lo, types);
    if (!index.sorted) return bad('payload', '全量名单键未排序或有重复');
    return ok({ type: 'full', index });
  }
  const rmHi = u32(bytes, rmOff, rc);
  const rmLo = u32(bytes, rmOff + 4 * rc, rc);
  if (!isSorted(hi, lo) || !isSorted(rmHi, rmLo)) return bad('payload', '增量名单键未排序或有重复');
  return ok({
    type: 'delta',
    delta: { kind, fromVersion, toVersion: version, label, upHi: hi, upLo: lo, upTypes: types, rmHi, rmLo },
  });
}

function isSorted(hi: Uint32Array, lo: Uint32Array): boolean {
  for (let i = 1; i < hi.length; i++) {
    const a = hi[i - 1]!;
    const b = hi[i]!;
    if (a > b || (a === b && lo[i - 1]! >= lo[i]!)) return false;
  }
  return true;
}
