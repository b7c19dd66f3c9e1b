/** Command/response APDU types and ISO 7816-4 short-APDU encoding. */
import { CardError } from '../errors';
import { bytesToHex } from './hex';

export interface CommandApduFields {
  cla: number;
  ins: number;
  p1: number;
  p2: number;
  data?: Uint8Array;
  /** Expected response length; 0 means 256 (ISO short Le = 00). Omit for no Le. */
  le?: number;
}

export interface ResponseApdu {
  readonly data: Uint8Array;
  /** SW1 << 8 | SW2. */
  readonly sw: number;
}

export class ApduFormatError extends CardError {
  constructor(message: string) {
    super('APDU_FORMAT', { message });
    this.name = 'ApduFormatError';
  }
}

/** Encodes a short APDU (cases 1–4). */
export function encodeCommand(f: CommandApduFields): Uint8Array {
  const data = f.data ?? new Uint8Array(0);
  if (data.length > 255) throw new ApduFormatError(`command data too long: ${data.length}`);
  for (const [k, v] of [
    ['cla', f.cla],
    ['ins', f.ins],
    ['p1', f.p1],
    ['p2', f.p2],
  ] as const) {
    if (!Number.isInteger(v) || v < 0 || v > 255) throw new ApduFormatError(`${k} out of range: ${v}`);
  }
  const hasLe = f.le !== undefined;
  if (hasLe && (!Number.isInteger(f.le) || f.le! < 0 || f.le! > 256))
    throw new ApduFormatError(`bad Le ${f.le}`);
  const out = new Uint8Array(4 + (data.length ? 1 + data.length : 0) + (hasLe ? 1 : 0));
  out[0] = f.cla;
  out[1] = f.ins;
  out[2] = f.p1;
  out[3] = f.p2;
  let o = 4;
  if (data.length) {
    out[o++] = data.length;
    out.set(data, o);
    o += data.length;
  }
  if (hasLe) out[o] = f.le! & 0xff;
  return out;
}

/** Where (if anywhere) a short command carries its Le byte; used to correct Le on 6Cxx. */
export function leOffset(command: Uint8Array): number | null {
  if (command.length < 4) throw new ApduFormatError(`command shorter than 4 bytes: ${bytesToHex(command)}`);
  if (command.length === 4) return null; // case 1
  if (command.length === 5) return 4; // case 2
  const lc = command[4]!;
  if (command.length === 5 + lc) return null; // case 3
  if (command.length === 6 + lc) return command.length - 1; // case 4
  throw new ApduFormatError(`inconsistent Lc in ${bytesToHex(command)}`);
}

/** The same command with Le replaced (or appended). */
export function withLe(command: Uint8Array, le: number): Uint8Array {
  const off = leOffset(command);
  if (off === null) {
    const out = new Uint8Array(command.length + 1);
    out.set(command);
    out[command.length] = le & 0xff;
    return out;
  }
  const out = Uint8Array.from(command);
  out[off] = le & 0xff;
  return out;
}

/** Splits a raw R-APDU; the caller guarantees at least 2 bytes. */
export function splitResponse(raw: Uint8Array): ResponseApdu {
  return { data: raw.slice(0, raw.length - 2), sw: (raw[raw.length - 2]! << 8) | raw[raw.length - 1]! };
}

export function swHex(sw: number): string {
  return sw.toString(16).toUpperCase().padStart(4, '0');
}
