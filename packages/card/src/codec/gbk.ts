/**
 * GBK text without a dependency: decoding uses the platform's TextDecoder (Node ≥ 20 with full ICU and every
 * browser); the encode table is built lazily, once, by decoding every double-byte code in one call.
 * The label is 'gb18030' (a GBK superset; the WHATWG 'gbk' label is the same decoder) because Node's ICU 'gbk'
 * converter silently drops invalid bytes even in fatal mode.
 */
import { CodecError } from './errors';

let lenient: TextDecoder | null = null;
let strict: TextDecoder | null = null;
let encodeTable: Map<string, number> | null = null;

function gbkDecoder(): TextDecoder {
  lenient ??= new TextDecoder('gb18030', { fatal: false });
  return lenient;
}

/** Fatal decoder: some engines (ICU) silently drop invalid bytes in non-fatal mode. */
function strictDecode(bytes: Uint8Array): string | null {
  strict ??= new TextDecoder('gb18030', { fatal: true });
  try {
    return strict.decode(bytes);
  } catch {
    return null;
  }
}

function buildEncodeTable(): Map<string, number> {
  // Each pair is followed by '\n'. Trail bytes are ≥ 0x40, so '\n' never belongs to a pair; invalid pairs
  // decode to U+FFFD (+ the re-read trail byte) and are skipped.
  const leads = 0xfe - 0x81 + 1;
  const trails: number[] = [];
  for (let t = 0x40; t <= 0xfe; t++) if (t !== 0x7f) trails.push(t);
  const buf = new Uint8Array(leads * trails.length * 3);
  let o = 0;
  for (let l = 0x81; l <= 0xfe; l++) {
    for (const t of trails) {
      buf[o++] = l;
      buf[o++] = t;
      buf[o++] = 0x0a;
    }
  }
  const parts = gbkDecoder().decode(buf).split('\n');
  const table = new Map<string, number>();
  let i = 0;
  for (let l = 0x81; l <= 0xfe; l++) {
    for (const t of trails) {
      const ch = parts[i++]!;
      if (ch.length === 1 && ch !== '\uFFFD' && !table.has(ch)) table.set(ch, (l << 8) | t);
    }
  }
  return table;
}

/** Decodes GBK, dropping 0x00 padding at the end; a byte sequence that is not GBK is a CodecError. */
export function decodeGbk(file: string, bytes: Uint8Array, offset: number, len: number): string {
  let end = offset + len;
  while (end > offset && bytes[end - 1] === 0x00) end--;
  const slice = bytes.subarray(offset, end);
  for (let i = 0; i < slice.length; i++) {
    if (slice[i] === 0x00) throw new CodecError(file, offset + i, 'NUL inside GBK text');
  }
  const text = strictDecode(slice);
  if (text === null || text.includes('\uFFFD')) {
    throw new CodecError(file, offset, `invalid GBK text ${JSON.stringify(gbkDecoder().decode(slice))}`);
  }
  // The gb18030 decoder reads more than GBK writes back (a lone 0x80 as €, four-byte codes, two pairs for
  // one character): such bytes are refused, so what is read from a card re-encodes to the same bytes.
  const again = encodeGbk(file, text, offset, 2 * slice.length); // room for a longer re-encoding
  const diff = again.findIndex((b, i) => b !== (slice[i] ?? 0));
  if (diff >= 0) throw new CodecError(file, offset + diff, 'not GBK as this terminal writes it');
  return text;
}

/** Encodes text as GBK into exactly `len` bytes, padded with 0x00. */
export function encodeGbk(file: string, text: string, offset: number, len: number): Uint8Array {
  const out = new Uint8Array(len);
  let o = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp === 0) throw new CodecError(file, offset + o, 'NUL inside GBK text');
    if (cp < 0x80) {
      if (o + 1 > len) throw new CodecError(file, offset + o, `text longer than ${len} bytes: ${text}`);
      out[o++] = cp;
      continue;
    }
    encodeTable ??= buildEncodeTable();
    const code = encodeTable.get(ch);
    // The table was built leniently: confirm the pair really decodes to this character.
    if (code === undefined || strictDecode(Uint8Array.of(code >> 8, code & 0xff)) !== ch)
      throw new CodecError(file, offset + o, `character not in GBK: ${ch}`);
    if (o + 2 > len) throw new CodecError(file, offset + o, `text longer than ${len} bytes: ${text}`);
    out[o++] = code >> 8;
    out[o++] = code & 0xff;
  }
  return out;
}
