/**
 * The CPC exit transaction (cpc-card.md §4 "Exit", §3, §6) on a card reader and the PSAM:
 *
 *   read():  SELECT 3F00, MF/EF01 (30 B), MF/EF02 (32 B), SELECT DF01, DF01/EF01 (39 B), EF02 (101 B),
 *            EF04 (n = EF02 byte 0 blocks of 23 B, §2.6) → the caller's checks, fee and payment →
 *   close(): external authentication (cpc-exit-auth.ts) → UPDATE DF01/EF01 bytes 23–24 = 02 02 → read them back.
 *
 * APDU count (what the bench measures): read 6 + (0, 1 or 2 EF04 reads), close 5 card + 3 PSAM.
 *
 * After a failure or a tear (payments.md §7): wait for the card, re-read it (MF/EF01 for its CPC ID, MF/EF02
 * byte 1 only for the record, DF01/EF01 bytes 23–24 for the truth); written → done; otherwise authenticate and
 * write once more, then give up as 'not-written'. The reported outcome is what the card was last read to hold;
 * another card presented is never written (WRONG_CARD).
 *
 * Identity before authentication: a wrong cryptogram costs the card one of its three UK1 tries (§3), so a card
 * not yet seen on this connection (a close() after a failed one, the card pulled and put back) first shows its
 * CPC ID (SELECT 3F00, READ MF/EF01 bytes 8–15), and only the same CPC is authenticated. On the normal path the
 * card was identified by read() on the same connection — a card swapped under an open connection fails the next
 * APDU (the Reader contract) — so the §9 sequence has no extra APDU.
 */
import { CPC_FEE_BLOCK_LENGTH, CPC_MAX_PROVINCES, CPC_READ_LENGTHS, SPECIAL } from '@tollpad/domain';
import { ApduLoopError, CardChannel, type CardChannelOptions } from '../apdu/channel';
import { READ_BINARY_STATUS, readBinarySfi } from '../apdu/commands/read-binary';
import { requireLength } from '../apdu/commands/response-error';
import { CPC_DF01, MF, SELECT_FILE_STATUS, selectFile } from '../apdu/commands/select-file';
import { UPDATE_BINARY_STATUS, updateBinarySfi } from '../apdu/commands/update-binary';
import { bytesEqual, bytesToHex, concatBytes } from '../apdu/hex';
import { CardError, type CardErrorCode } from '../errors';
import type { PsamDriver } from '../psam/psam-driver';
import { isIoError } from '../purchase/exit-purchase';
import type { CardWaiter } from '../purchase/waiting';
import type { Reader } from '../reader/reader';
import { CPC_FILE } from './codec/cpc-fields';
import type { CpcFiles } from './codec/cpc-files';
import { authenticateCpc } from './cpc-exit-auth';
import { type CpcExitConfig, DEFAULT_CPC_EXIT_CONFIG } from './cpc-exit-config';
import { CpcNotReadError, CpcProvincesAbnormalError, CpcWriteNotConfirmedError } from './cpc-exit-errors';
import { CpcUnreadableError, cpcReadFailure } from './cpc-unreadable';

/** Blocks a single SFI read covers: 11 × 23 = 253 (0xFD), the last offset P2 can start the next read at. */
const BLOCKS_PER_READ = 11;
/** DF01/EF01 offset of the 5.8 GHz control byte; the in/out flag follows (cpc-card.md §2.4). */
const EXIT_FLAGS_OFFSET = 23;
/** MF/EF01 bytes 8–15: the CPC ID (cpc-card.md §2.2). */
const CPC_ID_OFFSET = 8;
const CPC_ID_LENGTH = 8;

/** National specials a close() failure reason gives the record (cpc-card.md §5.1). */
export const CPC_EXIT_SPECIAL_TYPES: Partial<Record<CardErrorCode, number>> = {
  CPC_UK1_LOCKED: SPECIAL.CPC_UK1_LOCKED,
  EXTERNAL_AUTH_FAILED: SPECIAL.CPC_DAMAGED,
  CPC_PROVINCES_ABNORMAL: SPECIAL.CPC_DAMAGED,
};

export type CpcExitEvent =
  | { readonly type: 'waiting-for-card' }
  | { readonly type: 'retrying'; readonly attempt: number }
  | { readonly type: 'wrong-card'; readonly expected: string; readonly actual: string };

export interface CpcExitDeps {
  card: Reader;
  psam: PsamDriver;
  waiter: CardWaiter;
  config?: Partial<CpcExitConfig>;
  channel?: CardChannelOptions;
  onEvent?: (event: CpcExitEvent) => void;
}

export interface CpcCloseResult {
  readonly outcome: 'written' | 'not-written';
  /** Why not written (a card catalogue code); null when written. */
  readonly reason: CardErrorCode | null;
  readonly cpcId: string;
  /** Authentication + write attempts made. */
  readonly attempts: number;
  /** The outcome is what the card was read to hold (read-back or re-read); false when it could not be read. */
  readonly verified: boolean;
  /** Written, found by the re-read after a failure (a torn write that landed). */
  readonly recovered: boolean;
  /** MF/EF02 byte 1 seen by the last re-read, for the record only (cpc-card.md §6: never fail on it). */
  readonly radioState: number | null;
}

type Reread =
  | { readonly kind: 'read'; readonly flags: Uint8Array; readonly radioState: number }
  | { readonly kind: 'absent' }
  | { readonly kind: 'wrong-card' }
  | { readonly kind: 'unreadable' };

export class CpcExit {
  readonly channel: CardChannel;
  readonly config: CpcExitConfig;
  private connected = false;
  /** The card on the current connection was read to carry the CPC ID of `files` (read() or a re-read). */
  private identified = false;
  private files: CpcFiles | null = null;

  constructor(private readonly deps: CpcExitDeps) {
    this.channel = new CardChannel(deps.card, deps.channel);
    this.config = { ...DEFAULT_CPC_EXIT_CONFIG, ...deps.config };
  }

  /** The files of the last successful read(), which close() writes to. */
  get lastRead(): CpcFiles | null {
    return this.files;
  }

  private async ensureConnected(): Promise<void> {
    if (this.connected) return;
    await this.deps.card.connect();
    this.connected = true;
  }

  /** A new connection may be another card: it is identified again before any authentication. */
  private dropConnection(): void {
    this.connected = false;
    this.identified = false;
  }

  /** The cheapest identity read: SELECT 3F00, MF/EF01 bytes 8–15 (the CPC ID, cpc-card.md §2.2). */
  private async readCpcId(): Promise<string> {
    await this.channel.send(selectFile(MF), 'CPC SELECT 3F00', SELECT_FILE_STATUS);
    return bytesToHex(await this.readExact(0x01, CPC_ID_OFFSET, CPC_ID_LENGTH, 'CPC READ MF/EF01 8–15'));
  }

  private async readExact(sfi: number, offset: number, length: number, name: string): Promise<Uint8Array> {
    const data = await this.channel.send(readBinarySfi(sfi, offset, length), name, READ_BINARY_STATUS);
    requireLength(name, data, length);
    return data;
  }

  /**
   * 【读卡】: the five files. An interruption is not retried here (the read changes nothing on the card);
   * the caller shows the typed error and the collector reads again. A card that answers a status word, a
   * short answer or nothing while it stays in the field is CPC_UNREADABLE (the bad-card flow).
   */
  async read(): Promise<CpcFiles> {
    this.files = null;
    try {
      await this.ensureConnected();
      await this.reading('MF', 0, () =>
        this.channel.send(selectFile(MF), 'CPC SELECT 3F00', SELECT_FILE_STATUS),
      );
      const sysInfo = await this.reading(CPC_FILE.sysInfo, 0, () =>
        this.readExact(0x01, 0, CPC_READ_LENGTHS.sysInfo, 'CPC READ MF/EF01'),
      );
      const baseInfo = await this.reading(CPC_FILE.baseInfo, 0, () =>
        this.readExact(0x02, 0, CPC_READ_LENGTHS.baseInfo, 'CPC READ MF/EF02'),
      );
      await this.reading('DF01', 0, () =>
        this.channel.send(selectFile(CPC_DF01), 'CPC SELECT DF01', SELECT_FILE_STATUS),
      );
      const entry = await this.reading(CPC_FILE.entry, 0, () =>
        this.readExact(0x01, 0, CPC_READ_LENGTHS.entry, 'CPC READ DF01/EF01'),
      );
      const pass = await this.reading(CPC_FILE.pass, 0, () =>
        this.readExact(0x02, 0, CPC_READ_LENGTHS.pass, 'CPC READ DF01/EF02'),
      );
      const n = pass[0] ?? 0;
      if (n > CPC_MAX_PROVINCES) {
        throw new CpcProvincesAbnormalError(n, {
          sysInfo,
          baseInfo,
          entry,
          pass,
          feeBlocks: new Uint8Array(0),
        });
      }
      const files = { sysInfo, baseInfo, entry, pass, feeBlocks: await this.readFeeBlocks(n) };
      this.files = files;
      this.identified = true;
      return files;
    } catch (e) {
      if (isIoError(e) || e instanceof ApduLoopError || e instanceof CpcUnreadableError)
        this.dropConnection();
      throw e;
    }
  }

  /** One step of read(): the card's own failure is CPC_UNREADABLE naming the file (cpc-unreadable.ts). */
  private async reading<T>(file: string, offset: number, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (e) {
      throw cpcReadFailure(e, file, offset, this.deps.card.isCardPresent());
    }
  }

  /**
   * [P] cpc-card.md §2.6 "Blocks to read": n = 0 nothing (never Le 00, which asks for 256 B); 1–11 one read;
   * 12–22 blocks 1–11 at offset 0 and the rest at 0xFD, the last offset an SFI read can start at.
   */
  private async readFeeBlocks(n: number): Promise<Uint8Array> {
    if (n === 0) return new Uint8Array(0);
    const first = Math.min(n, BLOCKS_PER_READ) * CPC_FEE_BLOCK_LENGTH;
    const head = await this.reading(CPC_FILE.feeBlocks, 0, () =>
      this.readExact(0x04, 0, first, 'CPC READ DF01/EF04'),
    );
    if (n <= BLOCKS_PER_READ) return head;
    const tail = await this.reading(CPC_FILE.feeBlocks, first, () =>
      this.readExact(0x04, first, (n - BLOCKS_PER_READ) * CPC_FEE_BLOCK_LENGTH, 'CPC READ DF01/EF04'),
    );
    return concatBytes(head, tail);
  }

  /** The exit bytes 23–24: radio off, exited (both configurable, cpc-card.md §6). */
  get exitFlags(): Uint8Array {
    return Uint8Array.of(this.config.radioOff, this.config.exitedFlag);
  }

  /** 【写卡】 after payment: authenticate, write bytes 23–24, read them back; one retry after a failure. */
  async close(): Promise<CpcCloseResult> {
    const files = this.files;
    if (!files) throw new CpcNotReadError();
    const cpcId = files.sysInfo.slice(CPC_ID_OFFSET, CPC_ID_OFFSET + CPC_ID_LENGTH);
    const cpcIdHex = bytesToHex(cpcId);
    const flags = this.exitFlags;
    const result = (r: Omit<CpcCloseResult, 'cpcId'>): CpcCloseResult => ({ cpcId: cpcIdHex, ...r });
    let reason: CardErrorCode = 'CPC_WRITE_NOT_CONFIRMED';
    let radioState: number | null = null;
    for (let attempt = 1; attempt <= this.config.writeAttempts; attempt++) {
      if (attempt > 1) this.deps.onEvent?.({ type: 'retrying', attempt });
      try {
        await this.ensureConnected();
        if (!this.identified) {
          const actual = await this.readCpcId();
          if (actual !== cpcIdHex) {
            this.deps.onEvent?.({ type: 'wrong-card', expected: cpcIdHex, actual });
            this.dropConnection(); // the next close() connects afresh to whatever card is put back
            return result({
              outcome: 'not-written',
              reason: 'WRONG_CARD',
              attempts: attempt,
              verified: false,
              recovered: false,
              radioState,
            });
          }
          this.identified = true;
        }
        await authenticateCpc(this.channel, this.deps.psam.channel, {
          cpcId,
          area: files.sysInfo.slice(0, 4),
          mode: this.config.diversification,
          keyRef: this.config.keyRef,
        });
        await this.channel.send(
          updateBinarySfi(0x01, EXIT_FLAGS_OFFSET, flags),
          'CPC UPDATE DF01/EF01',
          UPDATE_BINARY_STATUS,
        );
        const back = await this.readExact(0x01, EXIT_FLAGS_OFFSET, 2, 'CPC READ DF01/EF01 23–24');
        if (bytesEqual(back, flags)) {
          return result({
            outcome: 'written',
            reason: null,
            attempts: attempt,
            verified: true,
            recovered: false,
            radioState,
          });
        }
        reason = new CpcWriteNotConfirmedError(back, flags).code;
      } catch (e) {
        if (!(e instanceof CardError)) throw e;
        if (isIoError(e) || e instanceof ApduLoopError) this.dropConnection();
        reason = e.code;
        // A locked key stays locked: no retry, and no UPDATE went out in this attempt.
        if (e.code === 'CPC_UK1_LOCKED') {
          return result({
            outcome: 'not-written',
            reason,
            attempts: attempt,
            verified: true,
            recovered: false,
            radioState,
          });
        }
      }
      const seen = await this.reread(cpcIdHex);
      if (seen.kind === 'absent') reason = 'CARD_NOT_RETURNED';
      if (seen.kind === 'wrong-card') reason = 'WRONG_CARD';
      if (seen.kind !== 'read') {
        return result({
          outcome: 'not-written',
          reason,
          attempts: attempt,
          verified: false,
          recovered: false,
          radioState,
        });
      }
      radioState = seen.radioState;
      if (bytesEqual(seen.flags, flags)) {
        return result({
          outcome: 'written',
          reason: null,
          attempts: attempt,
          verified: true,
          recovered: true,
          radioState,
        });
      }
    }
    return result({
      outcome: 'not-written',
      reason,
      attempts: this.config.writeAttempts,
      verified: true,
      recovered: false,
      radioState,
    });
  }

  /**
   * Waits for the card and reads what it holds now: SELECT 3F00, MF/EF01 (is it the same card?), MF/EF02
   * (byte 1, informative), SELECT DF01, bytes 23–24 of DF01/EF01. Bounded by maxRecoveryRounds.
   */
  private async reread(cpcIdHex: string): Promise<Reread> {
    const reader = this.deps.card;
    for (let round = 1; round <= this.config.maxRecoveryRounds; round++) {
      if (!reader.isCardPresent()) this.deps.onEvent?.({ type: 'waiting-for-card' });
      if (!(await this.deps.waiter.waitForCard(reader))) return { kind: 'absent' };
      try {
        this.dropConnection();
        await this.ensureConnected();
        await this.channel.send(selectFile(MF), 'CPC SELECT 3F00', SELECT_FILE_STATUS);
        const sys = await this.readExact(0x01, 0, CPC_READ_LENGTHS.sysInfo, 'CPC READ MF/EF01');
        const actual = bytesToHex(sys.subarray(CPC_ID_OFFSET, CPC_ID_OFFSET + CPC_ID_LENGTH));
        if (actual !== cpcIdHex) {
          this.deps.onEvent?.({ type: 'wrong-card', expected: cpcIdHex, actual });
          this.dropConnection();
          return { kind: 'wrong-card' };
        }
        this.identified = true;
        const base = await this.readExact(0x02, 0, CPC_READ_LENGTHS.baseInfo, 'CPC READ MF/EF02');
        await this.channel.send(selectFile(CPC_DF01), 'CPC SELECT DF01', SELECT_FILE_STATUS);
        const flags = await this.readExact(0x01, EXIT_FLAGS_OFFSET, 2, 'CPC READ DF01/EF01 23–24');
        return { kind: 'read', flags, radioState: base[1] ?? 0 };
      } catch (e) {
        if (isIoError(e) || e instanceof ApduLoopError) {
          this.dropConnection();
          continue;
        }
        if (e instanceof CardError) return { kind: 'unreadable' }; // keep the write's own failure as the reason
        throw e;
      }
    }
    return { kind: 'absent' };
  }
}
