/** Every decode/encode failure names the file, the byte offset and the reason. */
export class CodecError extends Error {
  readonly code = 'CODEC_INVALID';
  readonly messageZh: string;
  constructor(
    readonly file: string,
    readonly offset: number,
    readonly reason: string,
  ) {
    super(`${file} @${offset}: ${reason}`);
    this.name = 'CodecError';
    this.messageZh = `卡片文件${file}第${offset}字节数据错误：${reason}`;
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
