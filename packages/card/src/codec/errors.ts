import { CardError, cardErrorMessage } from '../errors';

/** Every decode/encode failure names the file, the byte offset and the reason. */
export class CodecError extends CardError {
  constructor(
    readonly file: string,
    readonly offset: number,
    readonly reason: string,
    /** What the collector should do, appended to the Chinese message (e.g. a CPC goes to the bad-card flow). */
    adviceZh?: string,
  ) {
    const params = { file, offset, reason };
    super('CODEC_INVALID', {
      params,
      ...(adviceZh ? { messageZh: `${cardErrorMessage('CODEC_INVALID', 'zh', params)}，${adviceZh}` } : {}),
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
