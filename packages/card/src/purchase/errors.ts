/** Exit-purchase failures, each with a catalogue code and the Chinese message the collector sees. */
import type { Fen } from '@tollpad/domain';
import { CardError, type CardErrorCode, type CardErrorOptions } from '../errors';
import type { PendingEntry } from './journal';

export class PurchaseError extends CardError {
  constructor(code: CardErrorCode, options: CardErrorOptions = {}) {
    super(code, options);
    this.name = 'PurchaseError';
  }
}

/** Stored-value card whose balance is below the fee: refused before INITIALIZE (special codes 27/28). */
export class InsufficientBalanceError extends PurchaseError {
  constructor(
    readonly balance: Fen,
    readonly amount: Fen,
  ) {
    super('INSUFFICIENT_BALANCE', { message: `balance ${balance} below fee ${amount}` });
    this.name = 'InsufficientBalanceError';
  }
}

/** A different card came back during recovery. */
export class WrongCardError extends PurchaseError {
  constructor(
    readonly expected: string,
    readonly actual: string,
  ) {
    super('WRONG_CARD', { message: `expected card ${expected}, got ${actual}` });
    this.name = 'WrongCardError';
  }
}

/** The card did not come back in time; the journal entry stays pending for recoverPending(). */
export class CardNotReturnedError extends PurchaseError {
  constructor(readonly entry: PendingEntry | null) {
    super('CARD_NOT_RETURNED');
    this.name = 'CardNotReturnedError';
  }
}

/** The caller's fee decision said abort; its reason (and Chinese message, if any) are kept. */
export class PurchaseAbortedError extends PurchaseError {
  constructor(reason: string, messageZh?: string) {
    super('PURCHASE_ABORTED', messageZh === undefined ? { message: reason } : { message: reason, messageZh });
    this.name = 'PurchaseAbortedError';
  }
}

export class RetryExhaustedError extends PurchaseError {
  constructor(attempts: number) {
    super('PURCHASE_RETRY_EXHAUSTED', { params: { attempts } });
    this.name = 'RetryExhaustedError';
  }
}

/** A response that contradicts the transaction (e.g. an ATC that went backwards). */
export class CardProtocolError extends PurchaseError {
  constructor(message: string) {
    super('CARD_PROTOCOL', { message });
    this.name = 'CardProtocolError';
  }
}

export class InvalidAmountError extends PurchaseError {
  constructor(amount: number) {
    super('AMOUNT_INVALID', { params: { amount } });
    this.name = 'InvalidAmountError';
  }
}
