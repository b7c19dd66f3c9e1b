import { CardError } from '../errors';

/** Reader-level failures, distinct from card status words (see ../apdu). */
export class ReaderError extends CardError {
  declare readonly code: 'CARD_ABSENT' | 'CARD_IO' | 'READER_UNAVAILABLE' | 'READER_TIMEOUT';
  constructor(
    code: 'CARD_ABSENT' | 'CARD_IO' | 'READER_UNAVAILABLE' | 'READER_TIMEOUT',
    message: string,
    /** A narrower Chinese message than the catalogue's, where the transport knows the cause. */
    messageZh?: string,
  ) {
    super(code, messageZh === undefined ? { message } : { message, messageZh });
    this.name = 'ReaderError';
  }
}

/** No card in the field. */
export class CardAbsentError extends ReaderError {
  constructor(message = 'no card in the reader') {
    super('CARD_ABSENT', message);
    this.name = 'CardAbsentError';
  }
}

/** The exchange broke off (card pulled, field cut, link dropped): the command may or may not have run. */
export class CardIoError extends ReaderError {
  constructor(message = 'card I/O error') {
    super('CARD_IO', message);
    this.name = 'CardIoError';
  }
}
