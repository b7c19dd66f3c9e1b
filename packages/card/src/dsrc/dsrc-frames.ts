/**
 * The handheld ↔ OBU 5.8 GHz DSRC link, modelled at the application layer. [P] The byte layout of these
 * frames is this project's own (the GB/T 20851 air frames with their LLC/MAC headers are below this
 * model); what is sourced is their content: VST = OBU MAC + type/version + 2 status bytes + system info
 * [S1]; GetSecure(keyIdForEncryptOp, FID, offset, length, RandRSU) [S1]; TransferChannel with
 * length-prefixed APDUs, channel 1 = ICC, 2 = ESAM [S1] (reference §2.1, §2.3, §3).
 *
 * Request  → response
 * 01 BST       beaconId(4) unixTime(4)                          → 81 VST mac(4) equip(1) status(2) len(1) sysinfo
 * 02 GetSecure keyId(1) fid(1) offset(2) length(1) randRsu(8)    → 82 fid(1) len(1) ciphertext
 * 03 Transfer  channel(1) count(1) {len(1) apdu}*                → 83 channel(1) count(1) {len(1) rapdu}*
 * 04 SetMMI    mode(1)                                           → 84
 * 05 Release   (EventReport: end of the session)                 → 85
 * any error                                                      → EE requestType(1) code(1)
 */

import { concatBytes, readUint, writeUint } from '../apdu/hex';
import { CardError } from '../errors';

export const DSRC_BST = 0x01;
export const DSRC_GET_SECURE = 0x02;
export const DSRC_TRANSFER_CHANNEL = 0x03;
export const DSRC_SET_MMI = 0x04;
export const DSRC_RELEASE = 0x05;
export const DSRC_RESPONSE_FLAG = 0x80;
export const DSRC_ERROR = 0xee;

export const CHANNEL_ICC = 1;
export const CHANNEL_ESAM = 2;

/** Error codes the OBU returns in an EE frame. */
export const DSRC_ERROR_CODES = {
  unknownFrame: 0x01,
  malformed: 0x02,
  iccAbsent: 0x03,
  noSession: 0x04,
  badParameter: 0x05,
  iccNoResponse: 0x06,
} as const;
export type DsrcErrorName = keyof typeof DSRC_ERROR_CODES;

/** Malformed or unexpected frame content (either side). */
export class DsrcFrameError extends CardError {
  constructor(
    readonly offset: number,
    readonly reason: string,
  ) {
    super('DSRC_FRAME', { params: { offset, reason } });
    this.name = 'DsrcFrameError';
  }
}

/** The OBU answered with an EE error frame. */
export class DsrcObuError extends CardError {
  constructor(
    readonly requestType: number,
    readonly obuCode: number,
  ) {
    const name = (Object.keys(DSRC_ERROR_CODES) as DsrcErrorName[]).find(
      (k) => DSRC_ERROR_CODES[k] === obuCode,
    );
    super('DSRC_OBU_ERROR', {
      message: `OBU refused frame 0x${requestType.toString(16)}: ${name ?? `code 0x${obuCode.toString(16)}`}`,
      // No card in the OBU is the one refusal the collector can act on.
      ...(obuCode === DSRC_ERROR_CODES.iccAbsent ? { messageZh: '车载单元内无卡' } : {}),
    });
    this.name = 'DsrcObuError';
  }
  get errorName(): DsrcErrorName | undefined {
    return (Object.keys(DSRC_ERROR_CODES) as DsrcErrorName[]).find(
      (k) => DSRC_ERROR_CODES[k] === this.obuCode,
    );
  }
}

export interface BstRequest {
  type: 'bst';
  beaconId: number;
  unixTime: number;
}
export interface GetSecureRequest {
  type: 'getSecure';
  keyIdForEncryptOp: number;
  fid: number;
  offset: number;
  length: number;
  randRsu: Uint8Array;
}
export interface TransferChannelRequest {
  type: 'transferChannel';
  channel: number;
  apdus: Uint8Array[];
}
export interface SetMmiRequest {
  type: 'setMmi';
  mode: number;
}
export interface ReleaseRequest {
  type: 'release';
}
export type DsrcRequest =
  | BstRequest
  | GetSecureRequest
  | TransferChannelRequest
  | SetMmiRequest
  | ReleaseRequest;

export interface VstResponse {
  type: 'vst';
  obuMac: Uint8Array;
  equipment: number;
  status: number; // 2 bytes
  systemInfo: Uint8Array;
}
export interface GetSecureResponse {
  type: 'getSecure';
  fid: number;
  file: Uint8Array;
}
export interface TransferChannelResponse {
  type: 'transferChannel';
  channel: number;
  responses: Uint8Array[];
}
export interface AckResponse {
  type: 'setMmi' | 'release';
}
export interface ErrorResponse {
  type: 'error';
  requestType: number;
  code: number;
}
export type DsrcResponse =
  | VstResponse
  | GetSecureResponse
  | TransferChannelResponse
  | AckResponse
  | ErrorResponse;

/** OBU status, first byte, MSB first [S1 DataParser.checkIccStatus]. */
export interface ObuStatus {
  cardAbsent: boolean;
  cardType: number; // bits 6–4
  cardStatus: boolean; // bit 3
  obuLocked: boolean;
  obuTampered: boolean;
  batteryLow: boolean;
  /** Second status byte, not decoded by the sources. */
  raw2: number;
}

export function decodeObuStatus(status: number): ObuStatus {
  const b = (status >> 8) & 0xff;
  return {
    cardAbsent: (b & 0x80) !== 0,
    cardType: (b >> 4) & 0x07,
    cardStatus: (b & 0x08) !== 0,
    obuLocked: (b & 0x04) !== 0,
    obuTampered: (b & 0x02) !== 0,
    batteryLow: (b & 0x01) !== 0,
    raw2: status & 0xff,
  };
}

export function encodeObuStatus(s: ObuStatus): number {
  const b =
    (s.cardAbsent ? 0x80 : 0) |
    ((s.cardType & 7) << 4) |
    (s.cardStatus ? 0x08 : 0) |
    (s.obuLocked ? 0x04 : 0) |
    (s.obuTampered ? 0x02 : 0) |
    (s.batteryLow ? 0x01 : 0);
  return (b << 8) | (s.raw2 & 0xff);
}

/** A MAC whose first byte is ≥ 0xA0 belongs to a CPC card, otherwise to an OBU [S1 obuReader.checkObu]. */
export function isCpcMac(obuMac: Uint8Array): boolean {
  return (obuMac[0] ?? 0) >= 0xa0;
}

function lengthPrefixed(items: readonly Uint8Array[], offset: number): Uint8Array {
  if (items.length > 0xff) throw new DsrcFrameError(offset, 'more than 255 APDUs');
  const parts: Uint8Array[] = [Uint8Array.of(items.length)];
  for (const item of items) {
    if (item.length > 0xff) throw new DsrcFrameError(offset, `APDU of ${item.length} bytes exceeds 255`);
    parts.push(Uint8Array.of(item.length), item);
  }
  return concatBytes(...parts);
}

function readLengthPrefixed(frame: Uint8Array, offset: number): Uint8Array[] {
  const count = frame[offset];
  if (count === undefined) throw new DsrcFrameError(offset, 'missing APDU count');
  const items: Uint8Array[] = [];
  let o = offset + 1;
  for (let i = 0; i < count; i++) {
    const len = frame[o];
    if (len === undefined || o + 1 + len > frame.length) throw new DsrcFrameError(o, `APDU ${i} truncated`);
    items.push(frame.slice(o + 1, o + 1 + len));
    o += 1 + len;
  }
  if (o !== frame.length) throw new DsrcFrameError(o, 'trailing bytes');
  return items;
}

function need(frame: Uint8Array, length: number, what: string): void {
  if (frame.length < length) throw new DsrcFrameError(frame.length, `${what} truncated`);
}

export function encodeDsrcRequest(r: DsrcRequest): Uint8Array {
  switch (r.type) {
    case 'bst': {
      const f = new Uint8Array(9);
      f[0] = DSRC_BST;
      writeUint(f, 1, r.beaconId >>> 0, 4);
      writeUint(f, 5, r.unixTime >>> 0, 4);
      return f;
    }
    case 'getSecure': {
      if (r.randRsu.length !== 8) throw new DsrcFrameError(7, 'RandRSU must be 8 bytes');
      const f = new Uint8Array(14);
      f[0] = DSRC_GET_SECURE;
      f[1] = r.keyIdForEncryptOp & 0xff;
      f[2] = r.fid & 0xff;
      writeUint(f, 3, r.offset & 0xffff, 2);
      f[5] = r.length & 0xff;
      f.set(r.randRsu, 6);
      return f;
    }
    case 'transferChannel':
      return concatBytes(Uint8Array.of(DSRC_TRANSFER_CHANNEL, r.channel & 0xff), lengthPrefixed(r.apdus, 2));
    case 'setMmi':
      return Uint8Array.of(DSRC_SET_MMI, r.mode & 0xff);
    case 'release':
      return Uint8Array.of(DSRC_RELEASE);
  }
}

export function decodeDsrcRequest(f: Uint8Array): DsrcRequest {
  need(f, 1, 'frame');
  switch (f[0]) {
    case DSRC_BST:
      need(f, 9, 'BST');
      return { type: 'bst', beaconId: readUint(f, 1, 4), unixTime: readUint(f, 5, 4) };
    case DSRC_GET_SECURE:
      need(f, 14, 'GetSecure');
      return {
        type: 'getSecure',
        keyIdForEncryptOp: f[1]!,
        fid: f[2]!,
        offset: readUint(f, 3, 2),
        length: f[5]!,
        randRsu: f.slice(6, 14),
      };
    case DSRC_TRANSFER_CHANNEL:
      need(f, 3, 'TransferChannel');
      return { type: 'transferChannel', channel: f[1]!, apdus: readLengthPrefixed(f, 2) };
    case DSRC_SET_MMI:
      need(f, 2, 'SetMMI');
      return { type: 'setMmi', mode: f[1]! };
    case DSRC_RELEASE:
      return { type: 'release' };
    default:
      throw new DsrcFrameError(0, `unknown request type 0x${f[0]!.toString(16)}`);
  }
}

export function encodeDsrcResponse(r: DsrcResponse): Uint8Array {
  switch (r.type) {
    case 'vst': {
      const head = new Uint8Array(9);
      head[0] = DSRC_BST | DSRC_RESPONSE_FLAG;
      head.set(r.obuMac.subarray(0, 4), 1);
      head[5] = r.equipment & 0xff;
      writeUint(head, 6, r.status & 0xffff, 2);
      head[8] = r.systemInfo.length;
      return concatBytes(head, r.systemInfo);
    }
    case 'getSecure':
      if (r.file.length > 0xff) throw new DsrcFrameError(3, 'GetSecure file longer than 255 bytes');
      return concatBytes(Uint8Array.of(DSRC_GET_SECURE | DSRC_RESPONSE_FLAG, r.fid, r.file.length), r.file);
    case 'transferChannel':
      return concatBytes(
        Uint8Array.of(DSRC_TRANSFER_CHANNEL | DSRC_RESPONSE_FLAG, r.channel),
        lengthPrefixed(r.responses, 2),
      );
    case 'setMmi':
      return Uint8Array.of(DSRC_SET_MMI | DSRC_RESPONSE_FLAG);
    case 'release':
      return Uint8Array.of(DSRC_RELEASE | DSRC_RESPONSE_FLAG);
    case 'error':
      return Uint8Array.of(DSRC_ERROR, r.requestType, r.code);
  }
}

export function decodeDsrcResponse(f: Uint8Array): DsrcResponse {
  need(f, 1, 'frame');
  switch (f[0]) {
    case DSRC_BST | DSRC_RESPONSE_FLAG: {
      need(f, 9, 'VST');
      const len = f[8]!;
      if (f.length !== 9 + len) throw new DsrcFrameError(8, `system info length ${len} does not match frame`);
      return {
        type: 'vst',
        obuMac: f.slice(1, 5),
        equipment: f[5]!,
        status: readUint(f, 6, 2),
        systemInfo: f.slice(9),
      };
    }
    case DSRC_GET_SECURE | DSRC_RESPONSE_FLAG: {
      need(f, 3, 'GetSecure response');
      if (f.length !== 3 + f[2]!) throw new DsrcFrameError(2, 'file length does not match frame');
      return { type: 'getSecure', fid: f[1]!, file: f.slice(3) };
    }
    case DSRC_TRANSFER_CHANNEL | DSRC_RESPONSE_FLAG:
      need(f, 3, 'TransferChannel response');
      return { type: 'transferChannel', channel: f[1]!, responses: readLengthPrefixed(f, 2) };
    case DSRC_SET_MMI | DSRC_RESPONSE_FLAG:
      return { type: 'setMmi' };
    case DSRC_RELEASE | DSRC_RESPONSE_FLAG:
      return { type: 'release' };
    case DSRC_ERROR:
      need(f, 3, 'error frame');
      return { type: 'error', requestType: f[1]!, code: f[2]! };
    default:
      throw new DsrcFrameError(0, `unknown response type 0x${f[0]!.toString(16)}`);
  }
}
