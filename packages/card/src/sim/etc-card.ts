/**
 * A virtual ETC user card (isomorphic) with the COS semantics the exit needs: MF/DF 1001, files
 * 0015/0016/0018/0019, the electronic purse with its offline ATC, the composite purchase state machine
 * (INITIALIZE → UPDATE CAPP DATA CACHE → DEBIT, committed atomically), GET BALANCE, GET TRANSACTION PROVE and
 * lock. TEST/simulation only: keys come from the issuer (test master keys by default).
 */

import { encodeInitializeCappPurchaseResponse } from '../apdu/commands/initialize-capp-purchase';
import { bytesEqual, bytesToHex, concatBytes, uintToBytes } from '../apdu/hex';
import type { CardKind } from '../codec/coded';
import { type Ef0018Record, encodeEf0018 } from '../codec/ef0018';
import {
  algorithmId,
  computeMac1,
  computeMac2,
  computeTac,
  type PurseAlgorithm,
  purchaseSessionKey,
} from '../crypto/pboc';
import type { ApduCard } from '../reader/reader';
import { type ParsedCommand, parseCommand, randomBytes, sw } from './apdu-parse';

export interface EtcCardKeys {
  algorithm: PurseAlgorithm;
  /** The card's diversified purchase key (16 B). */
  dpk: Uint8Array;
  /** The card's diversified TAC key (16 B). */
  dtk: Uint8Array;
  keyVersion: number;
  /** Key index the card accepts in INITIALIZE (01 on every lane). */
  keyIndex: number;
}

export interface EtcCardState {
  ef0015: Uint8Array;
  ef0016: Uint8Array;
  ef0019: Uint8Array;
  /** Signed balance in fen (account cards may go below zero). */
  balance: number;
  atc: number;
  kind: CardKind;
  /** Account cards: how far below zero a debit may go (fen, 3 B on the wire). */
  overdraftLimit: number;
  /** Account cards may overdraw (configurable [I]); stored-value cards never. */
  allowOverdraft: boolean;
  /** Permanently locked application: SELECT 1001 answers 9303 [I]. */
  locked: boolean;
  keys: EtcCardKeys;
}

export interface CommittedDebit {
  readonly atc: number; // the ATC after the debit (what GET TRANSACTION PROVE takes)
  readonly amount: number;
  readonly terminalId: string;
  readonly terminalSerial: number;
  readonly datetime: string;
  readonly tac: string;
  readonly mac2: string;
  readonly ef0019: string;
}

export interface EtcCardOptions {
  /** Answer SELECT with 61xx and hand the FCI out through GET RESPONSE (T=0 behaviour). */
  t0?: boolean;
  /** Proofs kept for GET TRANSACTION PROVE (most recent first). */
  proofDepth?: number;
  /** Deterministic challenges for tests. */
  random?: (n: number) => Uint8Array;
}

interface Session {
  amount: number;
  terminalId: Uint8Array;
  atc: number;
  random: Uint8Array;
  cache: Uint8Array | null;
}

const MAX_0018 = 50;

export class VirtualEtcCard implements ApduCard {
  private selected: 'none' | 'mf' | 'df' = 'none';
  private session: Session | null = null;
  private pendingResponse: Uint8Array | null = null;
  private readonly log0018: Uint8Array[] = [];
  private readonly proofs = new Map<number, { type: number; mac2: Uint8Array; tac: Uint8Array }>();
  /** Every committed debit, in order (the test oracle). */
  readonly debits: CommittedDebit[] = [];
  private readonly random: (n: number) => Uint8Array;

  constructor(
    readonly state: EtcCardState,
    private readonly options: EtcCardOptions = {},
  ) {
    this.random = options.random ?? randomBytes;
  }

  get balance(): number {
    return this.state.balance;
  }

  get atc(): number {
    return this.state.atc;
  }

  /** 0018 records, latest first. */
  get transactionLog(): readonly Uint8Array[] {
    return this.log0018;
  }

  powerOn(): Uint8Array {
    this.selected = 'mf';
    this.session = null;
    this.pendingResponse = null;
    // A plausible contactless CPU-card ATR; content is not interpreted by the drivers.
    return Uint8Array.from([
      0x3b, 0x8c, 0x80, 0x01, 0x45, 0x54, 0x43, 0x2d, 0x54, 0x45, 0x53, 0x54, 0x00, 0x00, 0x00, 0x00, 0x00,
    ]);
  }

  powerOff(): void {
    this.selected = 'none';
    this.session = null;
    this.pendingResponse = null;
  }

  transmit(command: Uint8Array): Uint8Array {
    if (this.selected === 'none') return new Uint8Array(0); // not powered: nothing answers
    const c = parseCommand(command);
    if (!c) return sw(0x6700);
    if (!(c.cla === 0x00 && c.ins === 0xc0)) this.pendingResponse = null;
    if (c.cla === 0x00) {
      switch (c.ins) {
        case 0xa4:
          return this.select(c);
        case 0xb0:
          return this.readBinary(c);
        case 0xb2:
          return this.readRecord(c);
        case 0xc0:
          return this.getResponse(c);
        default:
          return sw(0x6d00);
      }
    }
    if (c.cla === 0x80) {
      switch (c.ins) {
        case 0x5c:
          return this.getBalance(c);
        case 0x50:
          return this.initialize(c);
        case 0xdc:
          return this.updateCache(c);
        case 0x54:
          return this.debit(c);
        case 0x5a:
          return this.prove(c);
        default:
          return sw(0x6d00);
      }
    }
    return sw(0x6e00);
  }

  private respond(data: Uint8Array, le: number | undefined): Uint8Array {
    if (le === undefined) return sw(0x9000, data);
    const want = le === 0 ? 256 : le;
    if (want !== data.length) return sw(0x6c00 | data.length);
    return sw(0x9000, data);
  }

  private select(c: ParsedCommand): Uint8Array {
    if (c.p1 !== 0x00 || c.p2 !== 0x00) return sw(0x6a86);
    if (c.data.length !== 2) return sw(0x6700);
    const fid = (c.data[0]! << 8) | c.data[1]!;
    this.session = null;
    let fci: Uint8Array;
    if (fid === 0x3f00) {
      this.selected = 'mf';
      fci = Uint8Array.of(0x6f, 0x04, 0x83, 0x02, 0x3f, 0x00);
    } else if (fid === 0x1001) {
      if (this.state.locked) return sw(0x9303);
      this.selected = 'df';
      fci = Uint8Array.of(0x6f, 0x04, 0x83, 0x02, 0x10, 0x01);
    } else {
      return sw(0x6a82);
    }
    if (this.options.t0) {
      this.pendingResponse = fci;
      return sw(0x6100 | fci.length);
    }
    return sw(0x9000);
  }

  private getResponse(c: ParsedCommand): Uint8Array {
    const pending = this.pendingResponse;
    this.pendingResponse = null;
    if (!pending) return sw(0x6985);
    if (c.le === undefined || (c.le || 256) !== pending.length) return sw(0x6c00 | pending.length);
    return sw(0x9000, pending);
  }

  private fileBySfi(sfi: number): Uint8Array | null {
    if (sfi === 0x16 && this.selected === 'mf') return this.state.ef0016;
    if (sfi === 0x15 && this.selected === 'df') return this.state.ef0015;
    return null;
  }

  private readBinary(c: ParsedCommand): Uint8Array {
    if (!(c.p1 & 0x80)) return sw(0x6a86);
    const file = this.fileBySfi(c.p1 & 0x1f);
    if (!file) return sw(0x6a82);
    if (c.p2 >= file.length) return sw(0x6b00);
    return this.respond(file.subarray(c.p2), c.le);
  }

  private readRecord(c: ParsedCommand): Uint8Array {
    if ((c.p2 & 7) !== 4) return sw(0x6a86);
    const sfi = c.p2 >> 3;
    if (this.selected !== 'df') return sw(0x6a82);
    let rec: Uint8Array | undefined;
    if (sfi === 0x19) rec = c.p1 === 1 ? this.state.ef0019 : undefined;
    else if (sfi === 0x18) rec = c.p1 >= 1 ? this.log0018[c.p1 - 1] : undefined;
    else return sw(0x6a82);
    if (!rec) return sw(0x6a83);
    return this.respond(rec, c.le);
  }

  private getBalance(c: ParsedCommand): Uint8Array {
    if (c.p1 !== 0x00 || c.p2 !== 0x02) return sw(0x6a86);
    if (this.selected !== 'df') return sw(0x6985);
    return this.respond(uintToBytes(this.state.balance >>> 0, 4), c.le);
  }

  private initialize(c: ParsedCommand): Uint8Array {
    this.session = null;
    if (c.p1 !== 0x03 || c.p2 !== 0x02) return sw(0x6a86);
    if (c.data.length !== 11) return sw(0x6700);
    if (this.selected !== 'df') return sw(0x6985);
    const keys = this.state.keys;
    if (c.data[0] !== keys.keyIndex) return sw(0x9403);
    const amount = ((c.data[1]! << 24) | (c.data[2]! << 16) | (c.data[3]! << 8) | c.data[4]!) >>> 0;
    const s = this.state;
    const floor = s.kind === 'account' && s.allowOverdraft ? -s.overdraftLimit : 0;
    if (s.balance - amount < floor) return sw(0x9401);
    if (s.atc >= 0xffff) return sw(0x9401);
    const random = this.random(4);
    const algId = algorithmId(keys.algorithm);
    const data = encodeInitializeCappPurchaseResponse({
      balanceRaw: s.balance >>> 0,
      atc: s.atc,
      overdraftLimit: s.kind === 'account' ? s.overdraftLimit & 0xffffff : 0,
      keyVersion: keys.keyVersion,
      algorithmId: algId,
      random,
    });
    const out = this.respond(data, c.le);
    if (((out[out.length - 2]! << 8) | out[out.length - 1]!) !== 0x9000) return out;
    // The session key needs the terminal serial, which only DEBIT brings: keep what is known now.
    this.session = { amount, terminalId: c.data.slice(5, 11), atc: s.atc, random, cache: null };
    return out;
  }

  private updateCache(c: ParsedCommand): Uint8Array {
    if (c.p2 !== 0xc8) return sw(0x6a86);
    if (c.data.length !== 43) return sw(0x6700);
    // [I] The cache is only accepted between INITIALIZE and DEBIT.
    if (!this.session) return sw(0x6985);
    if (c.data[0] !== c.p1 || c.data[1] !== 0x29) return sw(0x6a80);
    this.session.cache = c.data.slice();
    return sw(0x9000);
  }

  private debit(c: ParsedCommand): Uint8Array {
    // A wrong Le is answered before anything else so that the corrected resend still finds the session.
    if (c.le !== undefined && c.le !== 8) return sw(0x6c08);
    const session = this.session;
    this.session = null; // one DEBIT per INITIALIZE, whatever happens
    if (c.p1 !== 0x01 || c.p2 !== 0x00) return sw(0x6a86);
    if (c.data.length !== 15) return sw(0x6700);
    if (!session) return sw(0x6985);
    const s = this.state;
    const keys = s.keys;
    const terminalSerial = ((c.data[0]! << 24) | (c.data[1]! << 16) | (c.data[2]! << 8) | c.data[3]!) >>> 0;
    const datetime = c.data.slice(4, 11);
    const mac1 = c.data.slice(11, 15);
    const sessionKey = purchaseSessionKey(keys.algorithm, keys.dpk, {
      random: session.random,
      atc: session.atc,
      terminalSerial,
    });
    const input = { amount: session.amount, transactionType: 0x09, terminalId: session.terminalId, datetime };
    if (!bytesEqual(computeMac1(keys.algorithm, sessionKey, input), mac1)) return sw(0x9302);
    const mac2 = computeMac2(keys.algorithm, sessionKey, session.amount);
    const tac = computeTac(keys.algorithm, keys.dtk, { ...input, terminalSerial });
    // Commit: balance, ATC, 0019 and the 0018 log change together or not at all (the whole method is atomic).
    s.balance -= session.amount;
    s.atc += 1;
    if (session.cache) s.ef0019 = session.cache;
    const dt = bytesToHex(datetime);
    const rec: Ef0018Record = {
      atc: s.atc,
      overdraftLimit: s.kind === 'account' ? s.overdraftLimit & 0xffffff : 0,
      amount: session.amount,
      transactionType: 0x09,
      terminalId: bytesToHex(session.terminalId),
      date: dt.slice(0, 8),
      time: dt.slice(8, 14),
    };
    this.log0018.unshift(encodeEf0018(rec));
    if (this.log0018.length > MAX_0018) this.log0018.pop();
    this.proofs.set(s.atc, { type: 0x09, mac2, tac });
    const depth = this.options.proofDepth ?? 10;
    for (const k of [...this.proofs.keys()]) if (k <= s.atc - depth) this.proofs.delete(k);
    this.debits.push({
      atc: s.atc,
      amount: session.amount,
      terminalId: bytesToHex(session.terminalId),
      terminalSerial,
      datetime: dt,
      tac: bytesToHex(tac),
      mac2: bytesToHex(mac2),
      ef0019: bytesToHex(s.ef0019),
    });
    return this.respond(concatBytes(tac, mac2), c.le);
  }

  private prove(c: ParsedCommand): Uint8Array {
    if (c.p1 !== 0x00) return sw(0x6a86);
    if (c.data.length !== 2) return sw(0x6700);
    if (this.selected !== 'df') return sw(0x6985);
    const atc = (c.data[0]! << 8) | c.data[1]!;
    const proof = this.proofs.get(atc);
    if (!proof || proof.type !== c.p2) return sw(0x9406);
    return this.respond(concatBytes(proof.mac2, proof.tac), c.le);
  }
}
