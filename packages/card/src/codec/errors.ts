import { CardError, type CardErrorCode, type CardErrorParams, cardErrorMessage } from '../errors';

/** A medium's own code for its decode failures (e.g. CPC_UNREADABLE), with the extra message parameters. */
export interface CodecErrorCode {
  readonly code: CardErrorCode;
  readonly params: CardErrorParams;
}

/** Every decode/encode failure names the file, the byte offset and the reason. */
export class CodecError extends CardError {
  constructor(
    readonly file: string,
    readonly offset: number,
    readonly reason: string,
    /** What the collector should do, appended to the Chinese message (e.g. a CPC goes to the bad-card flow). */
    adviceZh?: string,
    as?: CodecErrorCode,
  ) {
    const params = { file, offset, reason, ...as?.params };
    const code = as?.code ?? 'CODEC_INVALID';
    super(code, {
      params,
      ...(adviceZh ? { messageZh: `${cardErrorMessage(code, 'zh', params)}，${adviceZh}` } : {}),
    });
    this.name = 'CodecError';
  }
}

export function requireFileLength(file: string, bytes: Uint8Array, allowed: readonly number[]): void {
  if (!allowed.includes(bytes.length)) {
    throw new CodecError(
      file,
      Math.min(bytes.length, ...allowed),
      `length ${bytes.length}, expected ${allowed.join(' or ')}`,
    );
  }
}
