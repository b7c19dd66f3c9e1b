import { CardError } from '../errors';

/** Every decode/encode failure names the file, the byte offset and the reason. */
export class CodecError extends CardError {
  constructor(
    readonly file: string,
    readonly offset: number,
    readonly reason: string,
  ) {
    super('CODEC_INVALID', { params: { file, offset, reason } });
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
