/**
 * A CPC that cannot be read (cpc-card.md §5.4: a damaged card, special 35, goes to the no-card flow): the one
 * catalogue code CPC_UNREADABLE for every way a CPC exit's read fails on the card itself — a status word (a
 * damaged card's 6F00), a short answer, no answer from a card still in the field — and for a file that does not
 * decode. A card pulled out mid-read is not this: it stays the reader's CARD_IO/CARD_ABSENT (put it back).
 */

import { swHex } from '../apdu/apdu';
import { ApduLoopError } from '../apdu/channel';
import { ApduResponseError } from '../apdu/commands/response-error';
import { CardStatusError } from '../apdu/status';
import { CodecError } from '../codec/errors';
import { CardError } from '../errors';

export class CpcUnreadableError extends CodecError {
  constructor(
    file: string,
    offset: number,
    reason: string,
    /** The status word the card answered (e.g. '6F00'); null when it answered none or a file did not decode. */
    readonly sw: string | null,
    /** Chinese, for the collector: what failed (状态码6F00, 卡片无应答, DF01/EF02第0字节…). */
    causeZh: string,
    /** The error underneath (the status word's, the transport's or the decoder's). */
    cause?: unknown,
  ) {
    super(file, offset, reason, undefined, {
      code: 'CPC_UNREADABLE',
      params: { cause: causeZh, ...(sw ? { sw } : {}) },
    });
    this.name = 'CpcUnreadableError';
    if (cause !== undefined) this.cause = cause;
  }
}

/** A decode failure of a CPC file as CPC_UNREADABLE (file, offset and reason kept). */
export function cpcDecodeUnreadable(e: CodecError): CpcUnreadableError {
  return e instanceof CpcUnreadableError
    ? e
    : new CpcUnreadableError(e.file, e.offset, e.reason, null, `${e.file}第${e.offset}字节：${e.reason}`, e);
}

/**
 * What a failed read of `file` at `offset` means for the collector: the card's own failure becomes
 * CPC_UNREADABLE; a reader problem or a card no longer in the field is returned unchanged.
 */
export function cpcReadFailure(e: unknown, file: string, offset: number, cardPresent: boolean): unknown {
  if (e instanceof CpcUnreadableError) return e;
  if (e instanceof CardStatusError) {
    const sw = swHex(e.sw);
    return new CpcUnreadableError(file, offset, `SW ${sw} (${e.code})`, sw, `状态码${sw}`, e);
  }
  if (e instanceof ApduResponseError) {
    return new CpcUnreadableError(file, offset, e.message, null, `${file}应答数据长度错误`, e);
  }
  if (e instanceof ApduLoopError) {
    return new CpcUnreadableError(file, offset, e.message, null, '卡片应答异常（重复的61xx/6Cxx）', e);
  }
  // A mute card: the transport reports a lost card, yet the card is still there.
  if (e instanceof CardError && e.code === 'CARD_IO' && cardPresent) {
    return new CpcUnreadableError(file, offset, `no answer: ${e.message}`, null, '卡片无应答', e);
  }
  return e;
}
