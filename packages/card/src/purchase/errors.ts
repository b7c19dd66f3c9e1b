import type { Fen } from '@tollpad/domain';
/** Exit-purchase failures, each with a stable code and the Chinese message the collector sees. */
import type { PendingEntry } from './journal';

export class PurchaseError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly messageZh: string,
  ) {
    super(message);
    this.name = 'PurchaseError';
  }
}

/** Stored-value card whose balance is below the fee: refused before INITIALIZE (special codes 27/28). */
export class InsufficientBalanceError extends PurchaseError {
  constructor(
    readonly balance: Fen,
    readonly amount: Fen,
  ) {
    super('INSUFFICIENT_BALANCE', `balance ${balance} below fee ${amount}`, '卡片余额不足');
    this.name = 'InsufficientBalanceError';
  }
}

/** A different card came back during recovery. */
export class WrongCardError extends PurchaseError {
  constructor(
    readonly expected: string,
    readonly actual: string,
  ) {
    super('WRONG_CARD', `expected card ${expected}, got ${actual}`, '请放回原卡');
    this.name = 'WrongCardError';
  }
}

/** The card did not come back in time; the journal entry stays pending for recoverPending(). */
export class CardNotReturnedError extends PurchaseError {
  constructor(readonly entry: PendingEntry | null) {
    super(
      'CARD_NOT_RETURNED',
      'the card did not come back; the transaction is pending recovery',
      '未检测到原卡，交易待恢复，请放回原卡',
    );
    this.name = 'CardNotReturnedError';
  }
}

export class PurchaseAbortedError extends PurchaseError {
  constructor(reason: string, messageZh = '交易已取消') {
    super('PURCHASE_ABORTED', reason, messageZh);
    this.name = 'PurchaseAbortedError';
  }
}

export class RetryExhaustedError extends PurchaseError {
  constructor(attempts: number) {
    super('PURCHASE_RETRY_EXHAUSTED', `gave up after ${attempts} attempts`, '交易多次中断，请重新读卡');
    this.name = 'RetryExhaustedError';
  }
}

/** A response that contradicts the transaction (e.g. an ATC that went backwards). */
export class CardProtocolError extends PurchaseError {
  constructor(message: string) {
    super('CARD_PROTOCOL', message, '卡片响应异常，请重新读卡');
    this.name = 'CardProtocolError';
  }
}

export class InvalidAmountError extends PurchaseError {
  constructor(amount: number) {
    super('AMOUNT_INVALID', `amount must be an integer fen in 0..4294967295, got ${amount}`, '交易金额无效');
    this.name = 'InvalidAmountError';
  }
}
