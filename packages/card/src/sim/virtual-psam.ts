/**
 * A virtual PSAM (isomorphic, TEST ONLY keys): terminal ID, serial, transaction serial counter, online
 * authorisation state, MAC1 (80 70) with per-card DPK diversification from the 16-byte factor, MAC2 check (80 72),
 * and the CPC external-authentication pair (cpc-card.md §3): 801A derives the CPC's key, 80FA encrypts its challenge.
 */

import { parseInitSamForPurchaseRequest } from '../apdu/commands/init-sam-for-purchase';
import { bytesEqual, concatBytes, uintToBytes } from '../apdu/hex';
import { keyLevelsOver } from '../cpc/keys';
import { TripleDes } from '../crypto/des';
import { ecbEncrypt } from '../crypto/modes';
import {
  algorithmFromId,
  computeMac1,
  computeMac2,
  DEFAULT_ALGORITHM_IDS,
  diversifyTwoLevel,
  type PurseAlgorithm,
  purchaseSessionKey,
} from '../crypto/pboc';
import { Sm4 } from '../crypto/sm4';
import { TEST_CPC_UK1_ROOT_KEY, TEST_MASTER_KEYS, TEST_PSAM_AUTH_KEY } from '../fixtures/test-keys';
import type { ApduCard } from '../reader/reader';
import { type ParsedCommand, parseCommand, randomBytes, sw } from './apdu-parse';

export interface VirtualPsamOptions {
  terminalId: Uint8Array; // 6 B
  serial?: Uint8Array; // 10 B PSAM number
  version?: number;
  keyType?: number;
  /** Next terminal transaction serial. */
  transactionSerial?: number;
  /** Refuse MAC1 with 6985 until authorised online. */
  requireAuthorisation?: boolean;
  /** Master purchase keys by algorithm and key version (TEST keys by default). */
  masterKeys?: (alg: PurseAlgorithm, keyVersion: number) => Uint8Array | undefined;
  authKey?: Uint8Array;
  random?: (n: number) => Uint8Array;
  /**
   * CPC root keys by 801A's P1P2 (TEST UK1 under 4844 by default). [I, unverified] cpc-card.md §3: 4845 would
   * select UK2, whose value is unknown, so it is absent unless configured.
   */
  cpcRootKeys?: (p1p2: number) => Uint8Array | undefined;
}

/** Key usage 4844: the CPC entry/exit external-authentication key (cpc-card.md §3 step 2). */
export const CPC_PSAM_KEY_ENTRY_EXIT = 0x4844;

/**
 * [P] The authorisation APDU the (test) centre returns: EXTERNAL AUTHENTICATE 00 82 00 00 08 with
 * 3DES_ECB(authKey, challenge ‖ 00000000). No public source gives the real format.
 */
export function testAuthorisationApdu(
  challenge: Uint8Array,
  authKey: Uint8Array = TEST_PSAM_AUTH_KEY,
): Uint8Array {
  const block = new Uint8Array(8);
  block.set(challenge.subarray(0, 4));
  return concatBytes(Uint8Array.of(0x00, 0x82, 0x00, 0x00, 0x08), ecbEncrypt(new TripleDes(authKey), block));
}

export class VirtualPsam implements ApduCard {
  private powered = false;
  private df: 'mf' | 'df01' = 'mf';
  private challenge: Uint8Array | null = null;
  private authorised = false;
  private session: { alg: PurseAlgorithm; sessionKey: Uint8Array; amount: number } | null = null;
  /** The CPC key 801A derived; 80FA encrypts with it until the next 801A, SELECT or power-off. */
  private cpcKey: Uint8Array | null = null;
  transactionSerial: number;
  private readonly random: (n: number) => Uint8Array;

  constructor(private readonly options: VirtualPsamOptions) {
    this.transactionSerial = options.transactionSerial ?? 1;
    this.random = options.random ?? randomBytes;
  }

  get isAuthorised(): boolean {
    return this.authorised;
  }

  powerOn(): Uint8Array {
    this.powered = true;
    this.df = 'mf';
    this.challenge = null;
    this.authorised = false;
    this.session = null;
    this.cpcKey = null;
    return Uint8Array.of(0x3b, 0x6c, 0x00, 0x00, 0x50, 0x53, 0x41, 0x4d, 0x54, 0x45, 0x53, 0x54);
  }

  powerOff(): void {
    this.powered = false;
    this.authorised = false;
    this.session = null;
    this.cpcKey = null;
  }

  transmit(command: Uint8Array): Uint8Array {
    if (!this.powered) return new Uint8Array(0);
    const c = parseCommand(command);
    if (!c) return sw(0x6700);
    if (c.cla === 0x00 && c.ins === 0xa4) return this.select(c);
    if (c.cla === 0x00 && c.ins === 0xb0) return this.readBinary(c);
    if (c.cla === 0x00 && c.ins === 0x84) {
      if (c.le !== 4) return sw(0x6700);
      this.challenge = this.random(4);
      return sw(0x9000, this.challenge);
    }
    if (c.cla === 0x00 && c.ins === 0x82) return this.externalAuthenticate(c);
    if (c.cla === 0x80 && c.ins === 0x70) return this.mac1(c);
    if (c.cla === 0x80 && c.ins === 0x72) return this.mac2(c);
    if (c.cla === 0x80 && c.ins === 0x1a) return this.deliverCpcKey(c);
    if (c.cla === 0x80 && c.ins === 0xfa) return this.encryptCpcChallenge(c);
    return c.cla === 0x00 || c.cla === 0x80 ? sw(0x6d00) : sw(0x6e00);
  }

  private select(c: ParsedCommand): Uint8Array {
    if (c.data.length !== 2) return sw(0x6700);
    const fid = (c.data[0]! << 8) | c.data[1]!;
    this.cpcKey = null;
    if (fid === 0x3f00) this.df = 'mf';
    else if (fid === 0xdf01) this.df = 'df01';
    else return sw(0x6a82);
    return sw(0x9000);
  }

  private readBinary(c: ParsedCommand): Uint8Array {
    const o = this.options;
    let file: Uint8Array;
    if (c.p1 === 0x96) file = o.terminalId;
    else if (c.p1 === 0x95) {
      file = concatBytes(
        o.serial ?? concatBytes(Uint8Array.of(0x99, 0x99), o.terminalId, Uint8Array.of(0x00, 0x01)),
        Uint8Array.of(o.version ?? 0x01, o.keyType ?? 0x01, 0x00, 0x00),
      );
    } else return sw(0x6a82);
    if (c.p2 >= file.length) return sw(0x6b00);
    const data = file.subarray(c.p2);
    if (c.le === undefined || (c.le || 256) !== data.length) return sw(0x6c00 | data.length);
    return sw(0x9000, data);
  }

  private externalAuthenticate(c: ParsedCommand): Uint8Array {
    const challenge = this.challenge;
    this.challenge = null;
    if (!challenge) return sw(0x6985);
    const expected = testAuthorisationApdu(challenge, this.options.authKey ?? TEST_PSAM_AUTH_KEY).subarray(5);
    if (!bytesEqual(c.data, expected)) return sw(0x6300);
    this.authorised = true;
    return sw(0x9000);
  }

  private mac1(c: ParsedCommand): Uint8Array {
    this.session = null;
    if (c.data.length !== 36) return sw(0x6700);
    if (this.df !== 'df01') return sw(0x6985);
    if (this.options.requireAuthorisation && !this.authorised) return sw(0x6985);
    const r = parseInitSamForPurchaseRequest(c.data);
    if (!DEFAULT_ALGORITHM_IDS[r.algorithmId]) return sw(0x6a88);
    const alg = algorithmFromId(r.algorithmId);
    const mk = (this.options.masterKeys ?? defaultMasterKeys)(alg, r.keyVersion);
    if (!mk) return sw(0x6a88);
    const dpk = diversifyTwoLevel(alg, mk, r.issuerFactor8, r.cardNumber8);
    const terminalSerial = this.transactionSerial >>> 0;
    this.transactionSerial = (this.transactionSerial + 1) >>> 0;
    const sessionKey = purchaseSessionKey(alg, dpk, { random: r.random, atc: r.atc, terminalSerial });
    const mac1 = computeMac1(alg, sessionKey, {
      amount: r.amount,
      transactionType: r.transactionType,
      terminalId: this.options.terminalId,
      datetime: r.datetime,
    });
    this.session = { alg, sessionKey, amount: r.amount };
    return sw(0x9000, concatBytes(uintToBytes(terminalSerial, 4), mac1));
  }

  private deliverCpcKey(c: ParsedCommand): Uint8Array {
    this.cpcKey = null;
    const factors = cpcFactors(c.data);
    if (!factors) return sw(0x6700);
    if (this.df !== 'df01') return sw(0x6985);
    const root = (this.options.cpcRootKeys ?? defaultCpcRootKeys)((c.p1 << 8) | c.p2);
    if (!root) return sw(0x6a88);
    this.cpcKey = keyLevelsOver(root, factors).at(-1) ?? null;
    return sw(0x9000);
  }

  /** 80FA 0000 Lc: SM4-ECB of the data (R ‖ 00×8 for one challenge) under the key 801A derived. */
  private encryptCpcChallenge(c: ParsedCommand): Uint8Array {
    if (c.p1 !== 0x00 || c.p2 !== 0x00) return sw(0x6a86);
    if (c.data.length === 0 || c.data.length % 16 !== 0) return sw(0x6700);
    if (!this.cpcKey) return sw(0x6985); // no 801A since power-on or the last SELECT
    return sw(0x9000, ecbEncrypt(new Sm4(this.cpcKey), c.data));
  }

  private mac2(c: ParsedCommand): Uint8Array {
    if (c.data.length !== 4) return sw(0x6700);
    const s = this.session;
    if (!s) return sw(0x6985);
    if (!bytesEqual(computeMac2(s.alg, s.sessionKey, s.amount), c.data)) return sw(0x9302);
    return sw(0x9000);
  }
}

/**
 * 801A P1P2 Lc: derive the CPC's key (cpc-card.md §3 step 2). Lc 10 (mode 2) = CPC ID ‖ area ‖ area, applied
 * last 8 B first, then the CPC ID; Lc 08 (mode 1) = CPC ID only. The mode follows Lc: the host's configuration.
 */
function cpcFactors(data: Uint8Array): Uint8Array[] | null {
  if (data.length === 8) return [data];
  if (data.length === 16) return [data.subarray(8, 16), data.subarray(0, 8)];
  return null;
}

function defaultCpcRootKeys(p1p2: number): Uint8Array | undefined {
  return p1p2 === CPC_PSAM_KEY_ENTRY_EXIT ? TEST_CPC_UK1_ROOT_KEY : undefined;
}

function defaultMasterKeys(alg: PurseAlgorithm, keyVersion: number): Uint8Array | undefined {
  const k = TEST_MASTER_KEYS[alg];
  return k.keyVersion === keyVersion ? k.purchase : undefined;
}
