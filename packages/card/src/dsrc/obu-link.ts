/**
 * The handheld's view of one OBU over DSRC: BST/VST, GetSecure vehicle information decrypted by the
 * PSAM, TransferChannel to the card (channel 1) and the ESAM (channel 2), and EF04 read/update.
 */

import { bytesEqual, bytesToHex, concatBytes, hexToBytes } from '../apdu/hex';
import { CardError } from '../errors';
import { decodeObuSystemInfo, type ObuSystemInfo } from '../obu/ef01-system-info';
import {
  decodeEf04ExitRegion,
  EF04_EXIT_LENGTH,
  EF04_EXIT_OFFSET,
  type Ef04ExitRegion,
  encodeEf04ExitRegion,
} from '../obu/ef04-exit-region';
import {
  decodeVehicleInfo,
  VEHICLE_INFO_LENGTH,
  type VehicleInfo,
  type VehicleInfoLayout,
} from '../obu/vehicle-info';
import { parseVehiclePlaintext, VehicleInfoCryptoError, vehicleKeyFactor } from '../obu/vehicle-info-crypto';
import type { Reader } from '../reader/reader';
import {
  CHANNEL_ESAM,
  CHANNEL_ICC,
  DsrcFrameError,
  DsrcObuError,
  type DsrcRequest,
  type DsrcResponse,
  decodeDsrcResponse,
  decodeObuStatus,
  encodeDsrcRequest,
  isCpcMac,
  type ObuStatus,
} from './dsrc-frames';
import type { DsrcTransport } from './dsrc-transport';

/** ESAM read/update chunk limit over TransferChannel [S1 utils.readRouteInfo]. */
export const ESAM_CHUNK = 83;

export interface VstInfo {
  obuMac: string;
  isCpc: boolean;
  equipment: number;
  status: ObuStatus;
  systemInfo: ObuSystemInfo;
  /** Raw system-info bytes as sent in the VST. */
  systemInfoBytes: Uint8Array;
}

/** An APDU answered with a status word other than the expected one (ESAM or PSAM step). */
export class ObuApduError extends CardError {
  constructor(
    readonly step: string,
    readonly sw: number,
  ) {
    super('OBU_APDU', { params: { step, sw: sw.toString(16).toUpperCase().padStart(4, '0') } });
    this.name = 'ObuApduError';
  }
}

function statusWord(response: Uint8Array): number {
  return ((response[response.length - 2] ?? 0) << 8) | (response[response.length - 1] ?? 0);
}

function expectOk(step: string, response: Uint8Array): Uint8Array {
  const sw = statusWord(response);
  if (response.length < 2 || sw !== 0x9000) throw new ObuApduError(step, sw);
  return response.subarray(0, response.length - 2);
}

export interface ObuLinkOptions {
  beaconId?: number;
  /** RandRSU source (crypto.getRandomValues by default). */
  random?: (n: number) => Uint8Array;
  /** [P] Check that the decrypted GetSecure prefix echoes RandRSU (the simulator's model). */
  checkRandEcho?: boolean;
}

export class ObuLink {
  private lastVst: VstInfo | undefined;

  constructor(
    readonly transport: DsrcTransport,
    private readonly options: ObuLinkOptions = {},
  ) {}

  get vst(): VstInfo | undefined {
    return this.lastVst;
  }

  private async request(request: DsrcRequest): Promise<DsrcResponse> {
    const response = decodeDsrcResponse(await this.transport.exchange(encodeDsrcRequest(request)));
    if (response.type === 'error') throw new DsrcObuError(response.requestType, response.code);
    return response;
  }

  /** BST → VST: opens a session (the OBU resets its card) and returns the OBU's identity and status. */
  async beacon(now: Date = new Date()): Promise<VstInfo> {
    const r = await this.request({
      type: 'bst',
      beaconId: this.options.beaconId ?? 0x54455354,
      unixTime: Math.floor(now.getTime() / 1000),
    });
    if (r.type !== 'vst') throw new DsrcFrameError(0, `expected VST, got ${r.type}`);
    const info: VstInfo = {
      obuMac: bytesToHex(r.obuMac),
      isCpc: isCpcMac(r.obuMac),
      equipment: r.equipment,
      status: decodeObuStatus(r.status),
      systemInfo: decodeObuSystemInfo(r.systemInfo),
      systemInfoBytes: r.systemInfo,
    };
    this.lastVst = info;
    return info;
  }

  async transferChannel(channel: number, apdus: Uint8Array[]): Promise<Uint8Array[]> {
    const r = await this.request({ type: 'transferChannel', channel, apdus });
    if (r.type !== 'transferChannel' || r.channel !== channel || r.responses.length !== apdus.length) {
      throw new DsrcFrameError(0, 'TransferChannel response does not match the request');
    }
    return r.responses;
  }

  async getSecure(length: number, randRsu: Uint8Array, offset = 0): Promise<Uint8Array> {
    const r = await this.request({
      type: 'getSecure',
      keyIdForEncryptOp: 1,
      fid: 1,
      offset,
      length,
      randRsu,
    });
    if (r.type !== 'getSecure') throw new DsrcFrameError(0, `expected GetSecure, got ${r.type}`);
    return r.file;
  }

  /**
   * Reads the vehicle information: GetSecure, then the PSAM diversifies (80 1A 59 03 10 ‖ serial ‖
   * provider×2) and decrypts (80 FA 80 00) [S1 obuTrade.getPlainVehicleInfo]. The PSAM reader must be
   * connected with its DF01 (ETC application) selected.
   */
  async readVehicleInfo(psam: Reader, layout: VehicleInfoLayout = 'legacy59'): Promise<VehicleInfo> {
    const vst = this.lastVst ?? (await this.beacon());
    const rand = (this.options.random ?? defaultRandom)(8);
    const cipher = await this.getSecure(VEHICLE_INFO_LENGTH[layout], rand);
    const factor = vehicleKeyFactor(
      hexToBytes(vst.systemInfo.contractSerial),
      hexToBytes(vst.systemInfo.provider),
    );
    expectOk(
      'PSAM 801A',
      await psam.transmit(concatBytes(Uint8Array.of(0x80, 0x1a, 0x59, 0x03, 0x10), factor)),
    );
    if (cipher.length > 0xff) throw new VehicleInfoCryptoError('ciphertext longer than 255 bytes');
    const plain = expectOk(
      'PSAM 80FA',
      await psam.transmit(concatBytes(Uint8Array.of(0x80, 0xfa, 0x80, 0x00, cipher.length), cipher)),
    );
    const { prefix, data } = parseVehiclePlaintext(plain);
    if ((this.options.checkRandEcho ?? true) && !bytesEqual(prefix, rand)) {
      throw new VehicleInfoCryptoError('authenticator does not echo RandRSU');
    }
    return decodeVehicleInfo(data, layout);
  }

  /** Reads EF04 bytes [offset, offset+length) over ESAM channel 2 in ≤ 83-B chunks. */
  async readEf04(offset: number, length: number): Promise<Uint8Array> {
    await this.selectEf04();
    const parts: Uint8Array[] = [];
    for (let o = offset; o < offset + length; o += ESAM_CHUNK) {
      const n = Math.min(ESAM_CHUNK, offset + length - o);
      const [r] = await this.transferChannel(CHANNEL_ESAM, [
        Uint8Array.of(0x00, 0xb0, (o >> 8) & 0x7f, o & 0xff, n),
      ]);
      parts.push(expectOk(`ESAM read EF04 @${o}`, r!));
    }
    return concatBytes(...parts);
  }

  async updateEf04(offset: number, data: Uint8Array): Promise<void> {
    await this.selectEf04();
    for (let i = 0; i < data.length; i += ESAM_CHUNK) {
      const chunk = data.subarray(i, i + ESAM_CHUNK);
      const o = offset + i;
      const apdu = concatBytes(Uint8Array.of(0x00, 0xd6, (o >> 8) & 0x7f, o & 0xff, chunk.length), chunk);
      const [r] = await this.transferChannel(CHANNEL_ESAM, [apdu]);
      expectOk(`ESAM update EF04 @${o}`, r!);
    }
  }

  /** Reads and decodes the exit region (offsets 314–484). */
  async readEf04ExitRegion(): Promise<Ef04ExitRegion> {
    return decodeEf04ExitRegion(await this.readEf04(EF04_EXIT_OFFSET, EF04_EXIT_LENGTH));
  }

  async writeEf04ExitRegion(region: Ef04ExitRegion): Promise<void> {
    await this.updateEf04(EF04_EXIT_OFFSET, encodeEf04ExitRegion(region));
  }

  /** Card APDUs through channel 1 (one per frame; the purchase needs each answer before the next). */
  async transmitIcc(apdu: Uint8Array): Promise<Uint8Array> {
    const [r] = await this.transferChannel(CHANNEL_ICC, [apdu]);
    return r!;
  }

  async release(): Promise<void> {
    await this.request({ type: 'release' });
  }

  /** select DF01 and 00B0 84 00 01 (SFI 4) pipelined in one frame: makes EF04 the current file. */
  private async selectEf04(): Promise<void> {
    const [sel, sfi] = await this.transferChannel(CHANNEL_ESAM, [
      hexToBytes('00A4000002DF01'),
      Uint8Array.of(0x00, 0xb0, 0x84, 0x00, 0x01),
    ]);
    expectOk('ESAM select DF01', sel!);
    expectOk('ESAM read EF04 (SFI 4)', sfi!);
  }
}

function defaultRandom(n: number): Uint8Array {
  const out = new Uint8Array(n);
  globalThis.crypto.getRandomValues(out);
  return out;
}
