/**
 * A virtual two-piece OBU (TEST model): ESAM (system info, encrypted vehicle info, EF04), status bits,
 * and a user-card slot holding any ApduCard. It answers DSRC frames (../dsrc/dsrc-frames.ts).
 */
import {
  CHANNEL_ESAM,
  CHANNEL_ICC,
  DSRC_ERROR_CODES,
  type DsrcRequest,
  type DsrcResponse,
  decodeDsrcRequest,
  encodeDsrcResponse,
  encodeObuStatus,
} from '../dsrc/dsrc-frames';
import type { ApduCard } from '../reader/reader';
import {
  decodeObuSystemInfo,
  encodeObuSystemInfo,
  OBU_TAMPER_INSTALLED,
  OBU_TAMPER_REMOVED,
  type ObuSystemInfo,
} from './ef01-system-info';
import { ObuEsam } from './obu-esam';
import { encryptVehicleInfo } from './vehicle-info-crypto';

export interface VirtualObuOptions {
  obuMac: Uint8Array; // 4 B
  /** 设备类型及版本 byte of the VST. */
  equipment?: number;
  systemInfo: ObuSystemInfo;
  /** Plain vehicle information (59 or 79 B, see vehicle-info.ts). */
  vehicleInfo: Uint8Array;
  /** The OBU's diversified vehicle key (see vehicle-info-crypto.ts). */
  vehicleKey: Uint8Array;
  ef04?: Uint8Array;
  card?: ApduCard;
  locked?: boolean;
  batteryLow?: boolean;
}

export class VirtualObu {
  readonly esam: ObuEsam;
  private systemInfoBytes: Uint8Array;
  private card: ApduCard | undefined;
  private cardPowered = false;
  /** A BST opened a session; frames other than BST are refused without one. */
  private session = false;
  locked: boolean;
  batteryLow: boolean;
  readonly frameLog: DsrcRequest['type'][] = [];

  constructor(private readonly options: VirtualObuOptions) {
    this.systemInfoBytes = encodeObuSystemInfo(options.systemInfo);
    this.esam = new ObuEsam(() => this.systemInfoBytes, options.ef04);
    this.card = options.card;
    this.locked = options.locked ?? false;
    this.batteryLow = options.batteryLow ?? false;
  }

  get systemInfo(): ObuSystemInfo {
    return decodeObuSystemInfo(this.systemInfoBytes);
  }

  get currentCard(): ApduCard | undefined {
    return this.card;
  }

  /** Sets the 拆卸 (removed from the windscreen) state: the EF01 byte and the VST status bit. */
  setTampered(tampered: boolean): void {
    this.systemInfoBytes[26] = tampered ? OBU_TAMPER_REMOVED : OBU_TAMPER_INSTALLED;
  }

  get tampered(): boolean {
    return this.systemInfoBytes[26] === OBU_TAMPER_REMOVED;
  }

  insertCard(card: ApduCard): void {
    this.removeCard();
    this.card = card;
  }

  /** Pulls the user card out of the OBU (volatile card state is lost). */
  removeCard(): void {
    if (this.card && this.cardPowered) this.card.powerOff();
    this.card = undefined;
    this.cardPowered = false;
  }

  status(): number {
    return encodeObuStatus({
      cardAbsent: this.card === undefined,
      cardType: 0,
      cardStatus: false,
      obuLocked: this.locked,
      obuTampered: this.tampered,
      batteryLow: this.batteryLow,
      raw2: 0,
    });
  }

  /** Answers one DSRC request frame with one response frame (never throws). */
  handleFrame(frame: Uint8Array): Uint8Array {
    let request: DsrcRequest;
    try {
      request = decodeDsrcRequest(frame);
    } catch {
      return encodeDsrcResponse({
        type: 'error',
        requestType: frame[0] ?? 0,
        code: DSRC_ERROR_CODES.malformed,
      });
    }
    this.frameLog.push(request.type);
    return encodeDsrcResponse(this.handle(request, frame[0]!));
  }

  private error(requestType: number, code: number): DsrcResponse {
    return { type: 'error', requestType, code };
  }

  private handle(r: DsrcRequest, requestType: number): DsrcResponse {
    if (r.type === 'bst') {
      // A new session: the OBU resets the ESAM and powers the card up afresh.
      this.session = true;
      this.esam.reset();
      if (this.card) {
        if (this.cardPowered) this.card.powerOff();
        this.card.powerOn();
        this.cardPowered = true;
      }
      return {
        type: 'vst',
        obuMac: this.options.obuMac,
        equipment: this.options.equipment ?? 0x01,
        status: this.status(),
        systemInfo: this.systemInfoBytes.slice(),
      };
    }
    if (!this.session) return this.error(requestType, DSRC_ERROR_CODES.noSession);
    switch (r.type) {
      case 'getSecure': {
        // FID 1 = DF01/EF01 vehicle information, the only file GetSecure serves here.
        const plain = this.options.vehicleInfo;
        if (r.fid !== 1 || r.offset + r.length > plain.length || r.length === 0) {
          return this.error(requestType, DSRC_ERROR_CODES.badParameter);
        }
        const data = plain.subarray(r.offset, r.offset + r.length);
        return {
          type: 'getSecure',
          fid: r.fid,
          file: encryptVehicleInfo(this.options.vehicleKey, r.randRsu, data),
        };
      }
      case 'transferChannel': {
        if (r.channel === CHANNEL_ESAM) {
          return {
            type: 'transferChannel',
            channel: r.channel,
            responses: r.apdus.map((a) => this.esam.transmit(a)),
          };
        }
        if (r.channel !== CHANNEL_ICC) return this.error(requestType, DSRC_ERROR_CODES.badParameter);
        const card = this.card;
        if (!card) return this.error(requestType, DSRC_ERROR_CODES.iccAbsent);
        if (!this.cardPowered) {
          card.powerOn();
          this.cardPowered = true;
        }
        const responses: Uint8Array[] = [];
        for (const apdu of r.apdus) {
          const response = card.transmit(apdu);
          // A card that answers nothing (torn) ends the channel: the handheld sees an ICC error.
          if (response.length < 2) return this.error(requestType, DSRC_ERROR_CODES.iccNoResponse);
          responses.push(response);
        }
        return { type: 'transferChannel', channel: r.channel, responses };
      }
      case 'setMmi':
        return { type: 'setMmi' };
      case 'release':
        this.session = false;
        return { type: 'release' };
    }
  }
}
