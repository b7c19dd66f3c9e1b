/** Reader-level failures, distinct from card status words (see ../apdu). */
export class ReaderError extends Error {
  constructor(
    readonly code: 'CARD_ABSENT' | 'CARD_IO' | 'READER_UNAVAILABLE' | 'READER_TIMEOUT',
    message: string,
    readonly messageZh: string,
  ) {
    super(message);
    this.name = 'ReaderError';
  }
}

/** No card in the field. */
export class CardAbsentError extends ReaderError {
  constructor(message = 'no card in the reader') {
    super('CARD_ABSENT', message, '未检测到卡片，请将卡片放置到位');
    this.name = 'CardAbsentError';
  }
}

/** The exchange broke off (card pulled, field cut, link dropped): the command may or may not have run. */
export class CardIoError extends ReaderError {
  constructor(message = 'card I/O error') {
    super('CARD_IO', message, '读写卡失败，请放回原卡');
    this.name = 'CardIoError';
  }
}
