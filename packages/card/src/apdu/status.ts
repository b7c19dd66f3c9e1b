/** Card and PSAM status words as typed errors with stable codes and Chinese messages (reference §6, S10). */
import { swHex } from './apdu';

export interface StatusWordInfo {
  readonly code: string;
  readonly message: string;
  readonly messageZh: string;
}

export const SW_OK = 0x9000;

export const STATUS_WORDS: ReadonlyMap<number, StatusWordInfo> = new Map<number, StatusWordInfo>([
  [0x9401, { code: 'INSUFFICIENT_BALANCE', message: 'insufficient balance', messageZh: '卡片余额不足' }],
  [0x9302, { code: 'MAC_INVALID', message: 'MAC invalid', messageZh: 'MAC校验错误' }],
  [
    0x9303,
    {
      code: 'APPLICATION_LOCKED',
      message: 'application permanently locked',
      messageZh: '卡片应用已永久锁定',
    },
  ],
  [0x9403, { code: 'KEY_INDEX_NOT_FOUND', message: 'key index not supported', messageZh: '密钥索引不支持' }],
  [
    0x9406,
    { code: 'MAC_TAC_UNAVAILABLE', message: 'required MAC/TAC unavailable', messageZh: '所需MAC/TAC不可用' },
  ],
  [
    0x6a81,
    {
      code: 'FUNCTION_NOT_SUPPORTED',
      message: 'function not supported',
      messageZh: '功能不支持或应用已锁定',
    },
  ],
  [0x6a82, { code: 'FILE_NOT_FOUND', message: 'file not found', messageZh: '文件未找到' }],
  [0x6a83, { code: 'RECORD_NOT_FOUND', message: 'record not found', messageZh: '记录未找到' }],
  [
    0x6a88,
    { code: 'REFERENCED_DATA_NOT_FOUND', message: 'key/referenced data not found', messageZh: '密钥未找到' },
  ],
  [
    0x6985,
    {
      code: 'CONDITIONS_NOT_SATISFIED',
      message: 'conditions of use not satisfied',
      messageZh: '使用条件不满足',
    },
  ],
  [
    0x6982,
    { code: 'SECURITY_STATUS', message: 'security status not satisfied', messageZh: '安全状态不满足' },
  ],
  [0x6983, { code: 'AUTH_BLOCKED', message: 'authentication method blocked', messageZh: '认证方法锁定' }],
  [
    0x6984,
    { code: 'REFERENCE_DATA_INVALID', message: 'referenced data invalidated', messageZh: '引用数据无效' },
  ],
  [
    0x6988,
    { code: 'SM_DATA_INCORRECT', message: 'secure messaging data incorrect', messageZh: '安全报文数据错误' },
  ],
  [
    0x6901,
    {
      code: 'COMMAND_NOT_ACCEPTED',
      message: 'command not accepted (invalid state)',
      messageZh: '命令不接受',
    },
  ],
  [0x6700, { code: 'WRONG_LENGTH', message: 'wrong length', messageZh: '指令长度错误' }],
  [0x6a80, { code: 'WRONG_DATA', message: 'incorrect data field', messageZh: '数据域参数错误' }],
  [0x6a86, { code: 'WRONG_P1P2', message: 'incorrect P1/P2', messageZh: '参数P1P2错误' }],
  [0x6b00, { code: 'WRONG_OFFSET', message: 'offset outside the file', messageZh: '偏移超出文件范围' }],
  [0x6d00, { code: 'INS_NOT_SUPPORTED', message: 'instruction not supported', messageZh: '指令不支持' }],
  [0x6e00, { code: 'CLA_NOT_SUPPORTED', message: 'class not supported', messageZh: '指令类别不支持' }],
  [0x6581, { code: 'MEMORY_FAILURE', message: 'memory failure', messageZh: '卡片存储器故障' }],
]);

/** A status word other than 9000 from the card or PSAM. */
export class CardStatusError extends Error {
  readonly code: string;
  readonly messageZh: string;
  constructor(
    readonly sw: number,
    /** Which command got it, e.g. 'DEBIT FOR CAPP PURCHASE'. */
    readonly command: string,
  ) {
    const info = describeStatusWord(sw);
    super(`${command}: ${swHex(sw)} ${info.message}`);
    this.name = 'CardStatusError';
    this.code = info.code;
    this.messageZh = info.messageZh;
  }
}

export function describeStatusWord(sw: number): StatusWordInfo {
  const known = STATUS_WORDS.get(sw);
  if (known) return known;
  if (sw >> 8 === 0x6c)
    return { code: 'WRONG_LE', message: `wrong Le, ${sw & 0xff} available`, messageZh: '期望长度错误' };
  if (sw >> 8 === 0x61)
    return { code: 'MORE_DATA', message: `${sw & 0xff} more bytes`, messageZh: '还有数据待取' };
  if (sw >> 8 === 0x63)
    return { code: 'VERIFY_FAILED', message: 'verification failed', messageZh: '校验失败' };
  return {
    code: 'UNKNOWN_STATUS',
    message: `unknown status ${swHex(sw)}`,
    messageZh: `卡片返回未知状态${swHex(sw)}`,
  };
}

/** Throws CardStatusError unless the response is 9000. */
export function expectOk(resp: { sw: number }, command: string): void {
  if (resp.sw !== SW_OK) throw new CardStatusError(resp.sw, command);
}
