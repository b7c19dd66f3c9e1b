import { CardError } from '../errors';
import { ReaderError } from './errors';

/**
 * A reader-level operation (connect, list, link set-up) did not answer in time. A transmit that times
 * out is reported as CardIoError instead: the card may or may not have run the command, and the purchase
 * must treat it as a possible tear.
 */
export class ReaderTimeoutError extends ReaderError {
  constructor(message = 'reader did not answer in time') {
    super('READER_TIMEOUT', message);
    this.name = 'ReaderTimeoutError';
  }
}

/** The reader (driver, bridge, PC/SC service, radio module) cannot be reached at all. */
export class ReaderUnavailableError extends ReaderError {
  constructor(message = 'reader unavailable') {
    super('READER_UNAVAILABLE', message);
    this.name = 'ReaderUnavailableError';
  }
}

/**
 * A command the reader refuses before it reaches the card. Commands shorter than 4 bytes are refused by
 * every transport: vpcd reads a 1-byte payload as a control byte and pcscd then hangs without timeout.
 */
export class ReaderCommandError extends CardError {
  constructor(message: string) {
    super('BAD_COMMAND', { message });
    this.name = 'ReaderCommandError';
  }
}

/** Minimum C-APDU length every transport accepts (CLA INS P1 P2). */
export const MIN_COMMAND_LENGTH = 4;

/** Throws ReaderCommandError for a command no transport may send. */
export function assertSendableCommand(command: Uint8Array): void {
  if (command.length < MIN_COMMAND_LENGTH) {
    throw new ReaderCommandError(`command of ${command.length} bytes is shorter than ${MIN_COMMAND_LENGTH}`);
  }
  if (command.length > 261) {
    throw new ReaderCommandError(`command of ${command.length} bytes exceeds a short APDU (261 bytes)`);
  }
}
