/**
 * A virtual CPC (复合通行卡, isomorphic, TEST ONLY keys) with the COS semantics the exit needs (cpc-card.md §2.1,
 * §3, §6): MF and DF01 with their files, READ BINARY by SFI or current EF, GET CHALLENGE, EXTERNAL AUTHENTICATE
 * with a try counter, UPDATE BINARY on DF01 after authentication, battery and 5.8 GHz radio state, and a
 * damaged mode. It parses raw APDUs; any transport (SimulatedReader, TearingCard, vpcd) can carry it.
 */
import { bytesEqual, bytesToHex } from '../apdu/hex';
import { cpcAuthCryptogram } from '../cpc/auth-cryptogram';
import type { CpcFiles } from '../cpc/codec/cpc-files';
import { type CpcDiversificationMode, diversifyCpcKey } from '../cpc/keys';
import { CPC_IMAGE_SIZES } from '../cpc/writers/cpc-images';
import { CardError } from '../errors';
import { TEST_CPC_UK1_ROOT_KEY } from '../fixtures/test-keys';
import type { ApduCard } from '../reader/reader';
import { type ParsedCommand, parseCommand, randomBytes, sw } from './apdu-parse';

/** The five files a VirtualCpc holds, under the names the exit reads them by. */
export type CpcFileName = keyof CpcFiles;

interface FileRef {
  readonly name: CpcFileName;
  readonly df: 'mf' | 'df01';
  /** [I] cpc-card.md §2.1: the FIDs EF01/EF02/EF04; each SFI is its FID's low 5 bits. */
  readonly sfi: number;
}

const FILES: readonly FileRef[] = [
  { name: 'sysInfo', df: 'mf', sfi: 0x01 },
  { name: 'baseInfo', df: 'mf', sfi: 0x02 },
  { name: 'entry', df: 'df01', sfi: 0x01 },
  { name: 'pass', df: 'df01', sfi: 0x02 },
  { name: 'feeBlocks', df: 'df01', sfi: 0x04 },
];

/** DF01/EF01 byte 23: the radio control entry (01 on) and exit (02 off) write (cpc-card.md §2.4). */
const ENTRY_RADIO_CONTROL = 23;
/** MF/EF02 byte 0 battery (bit 7 low, bits 0–6 percent) and byte 1 radio state (1 on, 0 off), §2.3. */
const BASE_BATTERY = 0;
const BASE_RADIO_STATE = 1;

/** [P] cpc-card.md §3: a wrong cryptogram gets 63Cx, x = tries left out of 3. */
const AUTH_TRIES = 3;

/**
 * How a damaged card fails (the training vehicle "damaged/unreadable", cpc-card.md §5.4): `error` answers
 * every APDU with 6F00 (no precise diagnosis); `mute` answers nothing, which every transport reports as
 * CARD_IO.
 */
export type CpcDamage = 'error' | 'mute';

export interface VirtualCpcOptions {
  /** External-authentication root key (UK1); the TEST UK1_rootkey by default. */
  rootKey?: Uint8Array;
  /** [P] cpc-card.md §1: the diversification mode is configuration, not on the card; 2 by default. */
  mode?: CpcDiversificationMode;
  /** Deterministic challenges for tests. */
  random?: (n: number) => Uint8Array;
  damaged?: CpcDamage | false;
}

/** One UPDATE BINARY the card committed (the test oracle; a torn UPDATE either is here whole or not at all). */
export interface CommittedCpcWrite {
  readonly file: CpcFileName;
  readonly offset: number;
  readonly data: string;
}

/** A file image longer than the card's file: the simulator cannot hold it. */
export class CpcImageError extends CardError {
  constructor(file: CpcFileName, length: number) {
    super('CODEC_INVALID', {
      params: { file, offset: CPC_IMAGE_SIZES[file], reason: `image of ${length} B` },
    });
    this.name = 'CpcImageError';
  }
}

export class VirtualCpc implements ApduCard {
  private readonly files: Record<CpcFileName, Uint8Array>;
  private readonly key: Uint8Array;
  private readonly random: (n: number) => Uint8Array;
  private powered = false;
  private df: 'mf' | 'df01' = 'mf';
  private current: FileRef | null = null;
  private challenge: Uint8Array | null = null;
  private authenticated = false;
  /** Non-volatile: survives power-off, like a real try counter. */
  private tries = AUTH_TRIES;
  /**
   * The radio state MF/EF02 byte 1 takes at the next power-up, after an UPDATE changed EF01 byte 23.
   * [I, unverified] cpc-card.md §6: the RSU suite reads the new state only after a 3 s field-off.
   */
  private pendingRadio: number | null = null;
  /** Every committed UPDATE, in order. */
  readonly writes: CommittedCpcWrite[] = [];
  damaged: CpcDamage | false;

  /**
   * `images`: whole file images (CPC_IMAGE_SIZES, the writers' output), or shorter ones such as the files as an
   * exit reads them; the rest is 00.
   */
  constructor(images: CpcFiles, options: VirtualCpcOptions = {}) {
    const files = {} as Record<CpcFileName, Uint8Array>;
    for (const { name } of FILES) {
      const image = images[name];
      if (image.length > CPC_IMAGE_SIZES[name]) throw new CpcImageError(name, image.length);
      files[name] = new Uint8Array(CPC_IMAGE_SIZES[name]);
      files[name].set(image);
    }
    this.files = files;
    this.key = diversifyCpcKey(options.rootKey ?? TEST_CPC_UK1_ROOT_KEY, {
      mode: options.mode ?? 2,
      area: files.sysInfo.subarray(0, 4),
      cpcId: files.sysInfo.subarray(8, 16),
    });
    this.random = options.random ?? randomBytes;
    this.damaged = options.damaged ?? false;
  }

  /** The CPC ID (MF/EF01 bytes 8–15), 16 hex digits. */
  get cpcId(): string {
    return bytesToHex(this.files.sysInfo.subarray(8, 16));
  }

  /** A copy of one file's whole image. */
  file(name: CpcFileName): Uint8Array {
    return this.files[name].slice();
  }

  /** MF/EF02 byte 1 as the card reports it now: 1 on, 0 off. */
  get radioState(): number {
    return this.files.baseInfo[BASE_RADIO_STATE] ?? 0;
  }

  /** EXTERNAL AUTHENTICATE tries left (0 = UK1 locked, special 34). */
  get triesLeft(): number {
    return this.tries;
  }

  get isAuthenticated(): boolean {
    return this.authenticated;
  }

  /** Sets MF/EF02 byte 0: bits 0–6 percent, bit 7 when low (the battery drains outside any APDU). */
  setBattery(percent: number, low = percent < 20): void {
    this.files.baseInfo[BASE_BATTERY] =
      (Math.max(0, Math.min(100, Math.round(percent))) | (low ? 0x80 : 0)) & 0xff;
  }

  powerOn(): Uint8Array {
    this.powered = true;
    this.resetVolatile();
    if (this.pendingRadio !== null) {
      this.files.baseInfo[BASE_RADIO_STATE] = this.pendingRadio;
      this.pendingRadio = null;
    }
    // A plausible contactless ATR ("CPC-TEST"); the drivers do not interpret it.
    return Uint8Array.of(0x3b, 0x88, 0x80, 0x01, 0x43, 0x50, 0x43, 0x2d, 0x54, 0x45, 0x53, 0x54, 0x00);
  }

  powerOff(): void {
    this.powered = false;
    this.resetVolatile();
  }

  private resetVolatile(): void {
    this.df = 'mf';
    this.current = null;
    this.challenge = null;
    this.authenticated = false;
  }

  transmit(command: Uint8Array): Uint8Array {
    if (!this.powered || this.damaged === 'mute') return new Uint8Array(0);
    if (this.damaged === 'error') return sw(0x6f00);
    // [P] cpc-card.md §3: a challenge serves the next command only, whatever it is.
    const challenge = this.challenge;
    this.challenge = null;
    const c = parseCommand(command);
    if (!c) return sw(0x6700);
    if (c.cla !== 0x00) return sw(0x6e00);
    switch (c.ins) {
      case 0xa4:
        return this.select(c);
      case 0xb0:
        return this.readBinary(c);
      case 0xd6:
        return this.updateBinary(c);
      case 0x84:
        return this.getChallenge(c);
      case 0x82:
        return this.externalAuthenticate(c, challenge);
      default:
        return sw(0x6d00);
    }
  }

  private select(c: ParsedCommand): Uint8Array {
    if (c.p1 !== 0x00 || c.p2 !== 0x00) return sw(0x6a86);
    if (c.data.length !== 2) return sw(0x6700);
    const fid = ((c.data[0] ?? 0) << 8) | (c.data[1] ?? 0);
    if (fid === 0x3f00 || fid === 0xdf01) {
      // [P] cpc-card.md §3: selecting a DF, DF01 again included, drops the authentication.
      this.df = fid === 0x3f00 ? 'mf' : 'df01';
      this.current = null;
      this.authenticated = false;
      return sw(0x9000);
    }
    // [I] §2.1: selecting an EF keeps DF01's authentication.
    const ef = FILES.find((f) => f.df === this.df && (0xef00 | f.sfi) === fid);
    if (!ef) return sw(0x6a82);
    this.current = ef;
    return sw(0x9000);
  }

  private fileIn(sfi: number): FileRef | null {
    return FILES.find((f) => f.df === this.df && f.sfi === sfi) ?? null;
  }

  /** P1 = 80|SFI with offset P2, or the current EF with a 15-bit offset in P1P2 (§2.1). */
  private target(c: ParsedCommand): { ef: FileRef; offset: number } | number {
    if (c.p1 & 0x80) {
      if (c.p1 & 0x60) return 0x6a86;
      const ef = this.fileIn(c.p1 & 0x1f);
      if (!ef) return 0x6a82;
      this.current = ef; // ISO 7816-4: an SFI command makes its EF current
      return { ef, offset: c.p2 };
    }
    if (!this.current) return 0x6986;
    return { ef: this.current, offset: (c.p1 << 8) | c.p2 };
  }

  private readBinary(c: ParsedCommand): Uint8Array {
    if (c.data.length > 0) return sw(0x6700);
    const t = this.target(c);
    if (typeof t === 'number') return sw(t);
    const file = this.files[t.ef.name];
    if (t.offset >= file.length) return sw(0x6b00);
    if (c.le === undefined) return sw(0x6700);
    const want = c.le === 0 ? 256 : c.le;
    const available = file.length - t.offset;
    if (want > available) return sw(0x6c00 | available);
    return sw(0x9000, file.slice(t.offset, t.offset + want));
  }

  private updateBinary(c: ParsedCommand): Uint8Array {
    if (c.data.length === 0) return sw(0x6700);
    const t = this.target(c);
    if (typeof t === 'number') return sw(t);
    // MF files are personalised with secure messaging (04D6) only; a plain UPDATE never writes them.
    if (t.ef.df === 'mf' || !this.authenticated) return sw(0x6982);
    const file = this.files[t.ef.name];
    if (t.offset >= file.length) return sw(0x6b00);
    if (t.offset + c.data.length > file.length) return sw(0x6700); // the data would run past the end
    this.commit(t.ef.name, t.offset, c.data);
    return sw(0x9000);
  }

  /**
   * The card's commit point: the whole UPDATE lands in one step or not at all (anti-tearing, [I] as for
   * the ETC purse). A tear before this call leaves the file as it was; after it, as written. TearingCard
   * and the readers' `before`/`after` tears cut on either side of it.
   */
  private commit(name: CpcFileName, offset: number, data: Uint8Array): void {
    this.files[name].set(data, offset);
    this.writes.push({ file: name, offset, data: bytesToHex(data) });
    if (name === 'entry' && offset <= ENTRY_RADIO_CONTROL && offset + data.length > ENTRY_RADIO_CONTROL) {
      this.pendingRadio = this.files.entry[ENTRY_RADIO_CONTROL] === 0x01 ? 1 : 0;
    }
  }

  private getChallenge(c: ParsedCommand): Uint8Array {
    if (c.p1 !== 0x00 || c.p2 !== 0x00) return sw(0x6a86);
    if (c.data.length > 0 || c.le !== 8) return sw(0x6700);
    this.challenge = this.random(8);
    return sw(0x9000, this.challenge);
  }

  /** 0082 0001 08 F (cpc-card.md §3 step 7; the answers are [P]). */
  private externalAuthenticate(c: ParsedCommand, challenge: Uint8Array | null): Uint8Array {
    if (c.p1 !== 0x00) return sw(0x6a86);
    if (c.p2 !== 0x01) return sw(0x6a88); // only UK1's value is known (§1); UK2/UK3 are not loaded
    if (c.data.length !== 8) return sw(0x6700);
    if (this.df !== 'df01') return sw(0x6985);
    if (this.tries === 0) return sw(0x6983);
    if (!challenge) return sw(0x6984);
    this.authenticated = false;
    if (!bytesEqual(c.data, cpcAuthCryptogram(this.key, challenge))) {
      this.tries--;
      return sw(this.tries === 0 ? 0x6983 : 0x63c0 | this.tries);
    }
    this.tries = AUTH_TRIES;
    this.authenticated = true;
    return sw(0x9000);
  }
}
