/**
 * PSAM driver: start of shift (reset, select MF, terminal ID, serial, online authorisation, select DF01), MAC1
 * (80 70) and MAC2 verification (80 72). The authorisation round trip goes through an injected port, so the
 * same driver serves the station server, the centre and the tests.
 */
import { CardChannel, type CardChannelOptions } from '../apdu/channel';
import {
  CREDIT_SAM_FOR_PURCHASE_STATUS,
  creditSamForPurchase,
} from '../apdu/commands/credit-sam-for-purchase';
import { GET_CHALLENGE_STATUS, getChallenge, parseGetChallenge } from '../apdu/commands/get-challenge';
import {
  INIT_SAM_FOR_PURCHASE_STATUS,
  type InitSamForPurchaseRequest,
  type InitSamForPurchaseResponse,
  initSamForPurchase,
  parseInitSamForPurchase,
} from '../apdu/commands/init-sam-for-purchase';
import { READ_BINARY_STATUS, readBinarySfi } from '../apdu/commands/read-binary';
import { requireLength } from '../apdu/commands/response-error';
import { MF, PSAM_ETC_DF, SELECT_FILE_STATUS, selectFile } from '../apdu/commands/select-file';
import { bytesToHex } from '../apdu/hex';
import { CardStatusError, SW_OK, statusCode } from '../apdu/status';
import type { Reader } from '../reader/reader';
import { Mac2VerificationError, PsamAuthorisationError } from './errors';

export interface PsamInfo {
  /** 终端机编号, 6 B. */
  readonly terminalId: Uint8Array;
  readonly terminalIdHex: string;
  /** PSAM serial (10 B hex). */
  readonly serial: string;
  readonly version: number;
  readonly keyType: number;
  readonly authorised: boolean;
}

export interface PsamAuthorisationRequest {
  readonly terminalId: string;
  readonly psamSerial: string;
  readonly version: number;
  readonly keyType: number;
  /** GET CHALLENGE answer, hex. */
  readonly challenge: string;
}

/** The centre (via the station) turns a challenge into the APDU that authorises this PSAM. */
export interface PsamAuthoriser {
  authorise(request: PsamAuthorisationRequest): Promise<Uint8Array>;
}

export interface PsamDriverOptions {
  authoriser?: PsamAuthoriser;
  channel?: CardChannelOptions;
}

export class PsamDriver {
  readonly channel: CardChannel;
  private info: PsamInfo | null = null;

  constructor(
    readonly reader: Reader,
    private readonly options: PsamDriverOptions = {},
  ) {
    this.channel = new CardChannel(reader, options.channel);
  }

  get terminalId(): Uint8Array {
    if (!this.info) throw new PsamAuthorisationError('PSAM not opened');
    return this.info.terminalId;
  }

  get psamInfo(): PsamInfo | null {
    return this.info;
  }

  /** Start of shift: 3F00, terminal ID, serial, [authorisation], DF01. */
  async open(): Promise<PsamInfo> {
    await this.reader.connect();
    const ch = this.channel;
    await ch.send(selectFile(MF), 'PSAM SELECT 3F00', SELECT_FILE_STATUS);
    const terminalId = await ch.send(readBinarySfi(0x16, 0, 6), 'PSAM READ 0016', READ_BINARY_STATUS);
    requireLength('PSAM READ 0016', terminalId, 6);
    const issue = await ch.send(readBinarySfi(0x15, 0, 0x0e), 'PSAM READ 0015', READ_BINARY_STATUS);
    requireLength('PSAM READ 0015', issue, 14);
    const serial = bytesToHex(issue.subarray(0, 10));
    const version = issue[10]!;
    const keyType = issue[11]!;
    let authorised = false;
    if (this.options.authoriser) {
      const challenge = parseGetChallenge(
        await ch.send(getChallenge(), 'PSAM GET CHALLENGE', GET_CHALLENGE_STATUS),
      );
      const apdu = await this.options.authoriser.authorise({
        terminalId: bytesToHex(terminalId),
        psamSerial: serial,
        version,
        keyType,
        challenge: bytesToHex(challenge),
      });
      const resp = await ch.transmit(apdu);
      if (resp.sw !== SW_OK) {
        throw new PsamAuthorisationError(`authorisation APDU answered ${resp.sw.toString(16).toUpperCase()}`);
      }
      authorised = true;
    }
    await ch.send(selectFile(PSAM_ETC_DF), 'PSAM SELECT DF01', SELECT_FILE_STATUS);
    this.info = { terminalId, terminalIdHex: bytesToHex(terminalId), serial, version, keyType, authorised };
    return this.info;
  }

  /** 80 70: the PSAM diversifies the card's DPK, returns its transaction serial and MAC1. */
  async computeMac1(request: InitSamForPurchaseRequest): Promise<InitSamForPurchaseResponse> {
    const resp = await this.channel.transmit(initSamForPurchase(request));
    if (resp.sw === 0x6985 && this.options.authoriser === undefined) {
      throw new PsamAuthorisationError('PSAM refused MAC1 (6985): not authorised?');
    }
    if (resp.sw !== SW_OK) {
      throw new CardStatusError(resp.sw, 'INIT SAM FOR PURCHASE', INIT_SAM_FOR_PURCHASE_STATUS);
    }
    return parseInitSamForPurchase(resp.data);
  }

  /** 80 72: MAC2 must verify; otherwise Mac2VerificationError (escalate, never release silently). */
  async verifyMac2(mac2: Uint8Array): Promise<void> {
    const resp = await this.channel.transmit(creditSamForPurchase(mac2));
    if (resp.sw === SW_OK) return;
    if (statusCode(resp.sw, CREDIT_SAM_FOR_PURCHASE_STATUS) === 'MAC2_INVALID') {
      throw new Mac2VerificationError(resp.sw);
    }
    throw new CardStatusError(resp.sw, 'CREDIT SAM FOR PURCHASE', CREDIT_SAM_FOR_PURCHASE_STATUS);
  }
}
