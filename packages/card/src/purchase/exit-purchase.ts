import { type Fen, subFen } from '@tollpad/domain';
/**
 * The ETC exit composite purchase (复合消费) as a transaction manager:
 *
 *   read 0015, 0019 (and the balance) → caller's checks & fee → INITIALIZE → MAC1 (PSAM) →
 *   UPDATE CAPP DATA CACHE (exit 0019) → [journal pending] → DEBIT → MAC2 (PSAM) → [journal done]
 *
 * APDU count (what the bench measures): SELECT 1001 is sent once per card session (after power-on) and is
 * not counted. After it, an exit costs READ 0015 + READ 0019 + INITIALIZE + UPDATE + DEBIT = 5 card APDUs and
 * 80 70 + 80 72 = 2 PSAM APDUs. GET BALANCE adds one card APDU for stored-value cards, whose balance must be
 * checked before INITIALIZE; account cards skip it by default ([I] reference §6: "skip the balance check"),
 * configurable with `readAccountBalance`.
 *
 * Any I/O error before DEBIT: nothing was debited — wait for the same card and restart from INITIALIZE.
 * Any I/O error (or malformed answer) once DEBIT may have reached the card: recover with GET TRANSACTION PROVE
 * (ATC + 1) on the same card; proven → verify MAC2 and finish with that TAC; 9406 → retry with a new datetime.
 */
import { ApduLoopError, CardChannel, type CardChannelOptions } from '../apdu/channel';
import {
  DEBIT_CAPP_PURCHASE_STATUS,
  debitCappPurchase,
  type PurchaseProof,
  parseDebitCappPurchase,
} from '../apdu/commands/debit-capp-purchase';
import { GET_BALANCE_STATUS, getBalance, parseGetBalance } from '../apdu/commands/get-balance';
import {
  GET_TRANSACTION_PROVE_STATUS,
  getTransactionProve,
  parseGetTransactionProve,
  TRANSACTION_TYPE_COMPOSITE,
} from '../apdu/commands/get-transaction-prove';
import {
  INITIALIZE_CAPP_PURCHASE_STATUS,
  initializeCappPurchase,
  parseInitializeCappPurchase,
} from '../apdu/commands/initialize-capp-purchase';
import { READ_BINARY_STATUS, readBinarySfi } from '../apdu/commands/read-binary';
import { READ_RECORD_STATUS, readRecord } from '../apdu/commands/read-record';
import { ETC_DF, SELECT_FILE_STATUS, selectFile } from '../apdu/commands/select-file';
import { UPDATE_CAPP_DATA_CACHE_STATUS, updateCappDataCache } from '../apdu/commands/update-capp-data-cache';
import { bytesToHex, hexToBytes } from '../apdu/hex';
import { CardStatusError, SW_OK, statusCode } from '../apdu/status';
import { decodeBalance } from '../codec/balance';
import { purchaseDateTime } from '../codec/bcd';
import { cardNumber8, decodeEf0015, type Ef0015, issuerFactor8 } from '../codec/ef0015';
import { decodeEf0019, type Ef0019, encodeEf0019 } from '../codec/ef0019';
import { CodecError } from '../codec/errors';
import { algorithmFromId } from '../crypto/pboc';
import { Mac2VerificationError } from '../psam/errors';
import type { PsamDriver } from '../psam/psam-driver';
import { ReaderError } from '../reader/errors';
import type { Reader } from '../reader/reader';
import { DEFAULT_EXIT_PURCHASE_CONFIG, type ExitPurchaseConfig } from './config';
import {
  CardNotReturnedError,
  CardProtocolError,
  InsufficientBalanceError,
  InvalidAmountError,
  PurchaseAbortedError,
  RetryExhaustedError,
  WrongCardError,
} from './errors';
import type { PendingEntry, PurchaseJournal, PurchaseOutcome } from './journal';
import type { CardWaiter } from './waiting';

export interface CardSnapshot {
  readonly ef0015: Ef0015;
  readonly raw0015: string;
  readonly ef0019: Ef0019;
  readonly raw0019: string;
  /** Fen (signed for account cards); null when not read (account cards by default). */
  readonly balance: Fen | null;
}

export type FeeDecision =
  | { readonly action: 'charge'; readonly amount: Fen; readonly exit0019: Ef0019 | Uint8Array }
  | { readonly action: 'abort'; readonly reason: string; readonly messageZh?: string };

/**
 * The ETC card as payment card only (payments.md §6, e.g. a CPC trip paid by the driver's own ETC card): the
 * composite purchase writes the card's OWN 0019 back byte for byte, so its entry/exit state is untouched and
 * only the purse moves (the purchase, its journal, tear recovery and TAC stay the proven ones).
 */
export function paymentOnlyDecision(
  snapshot: CardSnapshot,
  amount: Fen,
): { amount: Fen; exit0019: Uint8Array } {
  return { amount, exit0019: hexToBytes(snapshot.raw0019) };
}

export type DecideFee = (snapshot: CardSnapshot) => Promise<FeeDecision> | FeeDecision;

export type PurchaseEvent =
  | { type: 'waiting-for-card'; reason: 'interrupted' | 'recovery' }
  | { type: 'recovering'; entry: PendingEntry }
  | { type: 'retrying'; attempt: number };

export interface ExitPurchaseDeps {
  card: Reader;
  psam: PsamDriver;
  journal: PurchaseJournal;
  waiter: CardWaiter;
  config?: Partial<ExitPurchaseConfig>;
  channel?: CardChannelOptions;
  onEvent?: (event: PurchaseEvent) => void;
}

/** How a purchase reached its proof: by recovery or not, and whether the PSAM still holds the session. */
interface FinishOptions {
  /** The proof came from GET TRANSACTION PROVE, not from DEBIT's answer. */
  readonly recovered: boolean;
  /** False after a restart: the PSAM no longer holds the purchase session, so MAC2 cannot be verified. */
  readonly sessionAlive: boolean;
}

export type RecoveryResult = { status: 'debited'; outcome: PurchaseOutcome } | { status: 'not-debited' };

/** Errors after which the card may be gone: wait for it and go on. */
export function isIoError(e: unknown): boolean {
  return (
    e instanceof ReaderError &&
    (e.code === 'CARD_IO' || e.code === 'CARD_ABSENT' || e.code === 'READER_TIMEOUT')
  );
}

/** Once DEBIT was sent, anything but a clear status word leaves the outcome unknown. */
function debitOutcomeUnknown(e: unknown): boolean {
  return !(e instanceof CardStatusError);
}

export class ExitPurchase {
  readonly channel: CardChannel;
  readonly config: ExitPurchaseConfig;
  private selected = false;

  constructor(private readonly deps: ExitPurchaseDeps) {
    this.channel = new CardChannel(deps.card, deps.channel);
    this.config = { ...DEFAULT_EXIT_PURCHASE_CONFIG, ...deps.config };
  }

  /** Forget the card session (after a reset or when another card is presented). */
  resetSession(): void {
    this.selected = false;
  }

  private async ensureSelected(): Promise<void> {
    if (this.selected) return;
    await this.deps.card.connect();
    await this.channel.send(selectFile(ETC_DF), 'SELECT 1001', SELECT_FILE_STATUS);
    this.selected = true;
  }

  private async read0015(): Promise<{ ef: Ef0015; raw: Uint8Array }> {
    const raw = await this.channel.send(
      readBinarySfi(0x15, 0, this.config.read0015Le),
      'READ 0015',
      READ_BINARY_STATUS,
    );
    return { ef: decodeEf0015(raw), raw };
  }

  /** 【读卡】: 0015, 0019 and (for stored-value cards) the balance. */
  async readCard(): Promise<CardSnapshot> {
    try {
      await this.ensureSelected();
      const { ef, raw } = await this.read0015();
      const raw0019 = await this.channel.send(readRecord(1, 0x19, 0x2b), 'READ 0019', READ_RECORD_STATUS);
      const ef0019 = decodeEf0019(raw0019, this.config.layout0019);
      let balance: Fen | null = null;
      if (ef.cardKind !== 'account' || this.config.readAccountBalance) {
        balance = decodeBalance(
          parseGetBalance(await this.channel.send(getBalance(), 'GET BALANCE', GET_BALANCE_STATUS)),
          ef.cardKind,
        );
      }
      return { ef0015: ef, raw0015: bytesToHex(raw), ef0019, raw0019: bytesToHex(raw0019), balance };
    } catch (e) {
      if (isIoError(e)) this.selected = false;
      throw e;
    }
  }

  /**
   * Read, decide, purchase. An interruption during the read is NOT retried here: the read has no effect on the
   * card, and retrying silently could switch to whatever card is presented next. The caller shows the typed
   * CardIoError and the collector presses 【读卡】 again.
   */
  async exit(decide: DecideFee): Promise<PurchaseOutcome> {
    const snapshot = await this.readCard();
    const decision = await decide(snapshot);
    if (decision.action === 'abort') throw new PurchaseAbortedError(decision.reason, decision.messageZh);
    return this.purchase(snapshot, decision);
  }

  /** 【提交数据】: the composite purchase for a card read by readCard(). */
  async purchase(
    snapshot: CardSnapshot,
    decision: { amount: Fen; exit0019: Ef0019 | Uint8Array },
  ): Promise<PurchaseOutcome> {
    const amount = decision.amount;
    if (!Number.isInteger(amount) || amount < 0 || amount > 0xffffffff) throw new InvalidAmountError(amount);
    const record =
      decision.exit0019 instanceof Uint8Array ? decision.exit0019 : encodeEf0019(decision.exit0019);
    if (record.length !== 43 || record[0] !== 0xaa || record[1] !== 0x29) {
      throw new CodecError('0019', 0, 'exit record must be 43 bytes starting AA 29');
    }
    const ef = snapshot.ef0015;
    if (ef.cardKind === 'stored-value' && snapshot.balance !== null && amount > snapshot.balance) {
      throw new InsufficientBalanceError(snapshot.balance, amount);
    }
    const { psam, journal } = this.deps;
    let notDebitedAtc: number | null = null;
    for (let attempt = 1; attempt <= this.config.maxAttempts; attempt++) {
      if (attempt > 1) this.deps.onEvent?.({ type: 'retrying', attempt });
      let entry: PendingEntry | null = null;
      try {
        await this.ensureSelected();
        const datetime = purchaseDateTime(this.config.clock());
        const init = parseInitializeCappPurchase(
          await this.channel.send(
            initializeCappPurchase({ keyIndex: this.config.keyIndex, amount, terminalId: psam.terminalId }),
            'INITIALIZE FOR CAPP PURCHASE',
            INITIALIZE_CAPP_PURCHASE_STATUS,
          ),
        );
        // Cross-check (reference §6): after a 9406 "not debited", the card's ATC must not have moved.
        if (notDebitedAtc !== null && init.atc !== notDebitedAtc) {
          throw new CardProtocolError(`ATC moved from ${notDebitedAtc} to ${init.atc} after a 9406 proof`);
        }
        const algorithm = algorithmFromId(init.algorithmId, this.config.algorithmIds);
        const balanceBefore = decodeBalance(init.balanceRaw, ef.cardKind);
        const mac = await psam.computeMac1({
          random: init.random,
          atc: init.atc,
          amount,
          transactionType: TRANSACTION_TYPE_COMPOSITE,
          datetime,
          keyVersion: init.keyVersion,
          algorithmId: init.algorithmId,
          cardNumber8: cardNumber8(ef),
          issuerFactor8: issuerFactor8(ef),
        });
        await this.channel.send(
          updateCappDataCache(record),
          'UPDATE CAPP DATA CACHE',
          UPDATE_CAPP_DATA_CACHE_STATUS,
        );
        const pending: PendingEntry = {
          id: `${ef.cardNumber}:${init.atc}:${mac.terminalSerial}`,
          cardNumber: ef.cardNumber,
          atc: init.atc,
          amount,
          terminalId: bytesToHex(psam.terminalId),
          terminalSerial: mac.terminalSerial,
          datetime: bytesToHex(datetime),
          algorithm,
          ef0019: bytesToHex(record),
          balanceBefore,
        };
        await journal.writePending(pending);
        entry = pending;
        let proof: PurchaseProof;
        let recovered = false;
        try {
          proof = parseDebitCappPurchase(
            await this.channel.send(
              debitCappPurchase({ terminalSerial: mac.terminalSerial, datetime, mac1: mac.mac1 }),
              'DEBIT FOR CAPP PURCHASE',
              DEBIT_CAPP_PURCHASE_STATUS,
            ),
          );
        } catch (e) {
          if (!debitOutcomeUnknown(e)) {
            await journal.markNotDebited(pending); // the card answered with a refusal: nothing committed
            throw e;
          }
          this.selected = false;
          const found = await this.prove(pending);
          if (!found) {
            await journal.markNotDebited(pending);
            notDebitedAtc = pending.atc;
            continue; // safe: retry from INITIALIZE with a new datetime
          }
          proof = found;
          recovered = true;
        }
        return await this.finish(pending, proof, { recovered, sessionAlive: true });
      } catch (e) {
        if (entry === null && isIoError(e)) {
          // Before DEBIT: nothing was debited. Wait for the same card and restart.
          this.selected = false;
          this.deps.onEvent?.({ type: 'waiting-for-card', reason: 'interrupted' });
          if (!(await this.deps.waiter.waitForCard(this.deps.card))) throw new CardNotReturnedError(null);
          await this.checkSameCard(ef.cardNumber);
          continue;
        }
        throw e;
      }
    }
    throw new RetryExhaustedError(this.config.maxAttempts);
  }

  /** Standalone recovery of a journal entry found after a restart or reload. */
  async recoverPending(entry: PendingEntry): Promise<RecoveryResult> {
    this.selected = false;
    this.deps.onEvent?.({ type: 'recovering', entry });
    const proof = await this.prove(entry);
    if (!proof) {
      await this.deps.journal.markNotDebited(entry);
      return { status: 'not-debited' };
    }
    return {
      status: 'debited',
      outcome: await this.finish(entry, proof, { recovered: true, sessionAlive: false }),
    };
  }

  private async finish(
    entry: PendingEntry,
    proof: PurchaseProof,
    how: FinishOptions,
  ): Promise<PurchaseOutcome> {
    const { recovered, sessionAlive } = how;
    let mac2Verified = true;
    try {
      await this.deps.psam.verifyMac2(proof.mac2);
    } catch (e) {
      // After a restart the PSAM no longer holds the purchase session (6985): the TAC stands alone.
      if (!sessionAlive && e instanceof CardStatusError && e.sw === 0x6985) mac2Verified = false;
      else if (e instanceof Mac2VerificationError) {
        await this.deps.journal.markDone(
          entry,
          this.outcome(entry, proof, { recovered, mac2Verified: false }),
        );
        throw e;
      } else throw e;
    }
    const outcome = this.outcome(entry, proof, { recovered, mac2Verified });
    await this.deps.journal.markDone(entry, outcome);
    return outcome;
  }

  private outcome(
    entry: PendingEntry,
    proof: PurchaseProof,
    { recovered, mac2Verified }: Pick<PurchaseOutcome, 'recovered' | 'mac2Verified'>,
  ): PurchaseOutcome {
    return {
      cardNumber: entry.cardNumber,
      amount: entry.amount,
      atcBefore: entry.atc,
      terminalId: entry.terminalId,
      terminalSerial: entry.terminalSerial,
      datetime: entry.datetime,
      algorithm: entry.algorithm,
      tac: bytesToHex(proof.tac),
      mac2: bytesToHex(proof.mac2),
      balanceAfter: subFen(entry.balanceBefore, entry.amount),
      ef0019: entry.ef0019,
      recovered,
      mac2Verified,
    };
  }

  /** Reconnects, selects 1001 and re-reads 0015: refuses a different card. */
  private async checkSameCard(cardNumber: string): Promise<void> {
    this.selected = false;
    await this.ensureSelected();
    const { ef } = await this.read0015();
    if (ef.cardNumber !== cardNumber) {
      this.selected = false;
      throw new WrongCardError(cardNumber, ef.cardNumber);
    }
  }

  /**
   * Waits for the card (bounded), checks it is the same card, and asks for the proof of ATC + 1.
   * Returns the proof, or null when the card says the transaction did not happen (9406).
   */
  private async prove(entry: PendingEntry): Promise<PurchaseProof | null> {
    for (let round = 1; round <= this.config.maxRecoveryRounds; round++) {
      this.deps.onEvent?.({ type: 'waiting-for-card', reason: 'recovery' });
      if (!(await this.deps.waiter.waitForCard(this.deps.card))) throw new CardNotReturnedError(entry);
      try {
        await this.checkSameCard(entry.cardNumber);
        const resp = await this.channel.transmit(getTransactionProve((entry.atc + 1) & 0xffff));
        if (resp.sw === SW_OK) return parseGetTransactionProve(resp.data);
        if (statusCode(resp.sw, GET_TRANSACTION_PROVE_STATUS) === 'TRANSACTION_NOT_PROVEN') return null;
        throw new CardStatusError(resp.sw, 'GET TRANSACTION PROVE', GET_TRANSACTION_PROVE_STATUS);
      } catch (e) {
        if (isIoError(e) || e instanceof ApduLoopError) {
          this.selected = false;
          continue;
        }
        throw e;
      }
    }
    throw new CardNotReturnedError(entry);
  }
}
