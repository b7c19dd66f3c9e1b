/**
 * The card layer's one error catalogue: every stable code with its Chinese message (what the collector
 * sees) and its English text (logs). Error classes keep their names, so callers may still catch by class;
 * each carries `code` and `messageZh` from here. `{name}` in a message is filled from the error's params.
 * ERRORS.md lists the same codes (a test holds them together).
 */
export const CARD_ERRORS = {
  // Reader and transport
  CARD_ABSENT: { zh: '未检测到卡片，请将卡片放置到位', en: 'no card in the reader' },
  CARD_IO: { zh: '读写卡失败，请放回原卡', en: 'card I/O error' },
  READER_TIMEOUT: { zh: '读卡器响应超时，请检查读卡器连接', en: 'reader did not answer in time' },
  READER_UNAVAILABLE: { zh: '读卡器不可用，请检查读卡器或驱动', en: 'reader unavailable' },
  BAD_COMMAND: { zh: '指令格式错误，未发送到卡片', en: 'command refused before it reached the card' },
  // APDUs
  APDU_FORMAT: { zh: '指令格式错误', en: 'malformed APDU' },
  APDU_LOOP: {
    zh: '卡片响应异常（重复的61xx/6Cxx），请重新读卡',
    en: 'too many GET RESPONSE / Le corrections',
  },
  RESPONSE_FORMAT: { zh: '卡片响应数据格式错误', en: 'response data of the wrong shape' },
  HEX_INVALID: { zh: '十六进制数据格式错误', en: 'invalid hex string' },
  // Card files
  CODEC_INVALID: { zh: '卡片文件{file}第{offset}字节数据错误：{reason}', en: '{file} @{offset}: {reason}' },
  // Cryptography
  CRYPTO_BLOCK_LENGTH: {
    zh: '数据长度不是分组长度的整数倍',
    en: 'data length is not a multiple of the block size',
  },
  CRYPTO_KEY_LENGTH: { zh: '密钥长度错误', en: 'invalid key length' },
  CRYPTO_ALGORITHM: { zh: '卡片算法标识不支持', en: 'unsupported purse algorithm id' },
  // PSAM
  PSAM_NOT_AUTHORISED: { zh: 'PSAM卡授权失败，请联系监控', en: 'PSAM not authorised' },
  MAC2_INVALID: { zh: 'MAC2校验失败，请联系监控', en: 'PSAM rejected MAC2' },
  // The exit purchase
  INSUFFICIENT_BALANCE: { zh: '卡片余额不足', en: 'insufficient balance' },
  WRONG_CARD: { zh: '请放回原卡', en: 'a different card came back' },
  CARD_NOT_RETURNED: {
    zh: '未检测到原卡，交易待恢复，请放回原卡',
    en: 'the card did not come back; the transaction is pending recovery',
  },
  PURCHASE_ABORTED: { zh: '交易已取消', en: 'purchase aborted' },
  PURCHASE_RETRY_EXHAUSTED: { zh: '交易多次中断，请重新读卡', en: 'gave up after {attempts} attempts' },
  CARD_PROTOCOL: { zh: '卡片响应异常，请重新读卡', en: 'a response contradicts the transaction' },
  AMOUNT_INVALID: {
    zh: '交易金额无效',
    en: 'amount must be an integer fen in 0..4294967295, got {amount}',
  },
  // The CPC exit (cpc/cpc-exit.ts; special codes: cpc-card.md §5.1)
  CPC_UK1_LOCKED: {
    zh: 'CPC卡密钥UK1锁定（特情34），请收回卡片按坏卡处理',
    en: 'CPC external-authentication key UK1 locked (national special 34)',
  },
  EXTERNAL_AUTH_FAILED: {
    zh: 'CPC卡外部认证失败（{sw}），请重新读卡；仍失败请按坏卡处理',
    en: 'external authentication refused ({sw})',
  },
  CHALLENGE_MISSING: { zh: 'CPC卡认证前未取随机数，请重新读卡', en: 'no challenge to answer' },
  CPC_PROVINCES_ABNORMAL: {
    zh: 'CPC卡通行省份个数异常（{count}），请按坏卡处理',
    en: 'DF01/EF02 byte 0 says {count} provinces (at most 22)',
  },
  CPC_NOT_READ: { zh: '请先读CPC卡', en: 'close() before read()' },
  CPC_UNREADABLE: {
    zh: 'CPC卡无法读取（{cause}），请按坏卡处理（转无卡流程）',
    en: 'CPC unreadable: {file} @{offset}: {reason}',
  },
  CPC_WRITE_NOT_CONFIRMED: {
    zh: 'CPC卡写卡未确认，请收回卡片按写卡失败处理',
    en: 'EF01 bytes 23–24 read back {found}, expected {expected}',
  },
  // OBU and DSRC
  OBU_APDU: { zh: '车载单元操作失败（{step}，状态码{sw}）', en: '{step}: SW {sw}' },
  OBU_VEHICLE_DECRYPT: { zh: '车载单元车辆信息解密失败', en: 'vehicle information: {reason}' },
  DSRC_FRAME: { zh: '车载单元通信数据错误', en: 'DSRC frame @{offset}: {reason}' },
  DSRC_OBU_ERROR: { zh: '车载单元拒绝请求', en: 'OBU refused the frame' },
  // Status words (each command's table in apdu/commands/ says which it answers; apdu/status.ts the rest)
  MAC_INVALID: { zh: 'MAC校验错误', en: 'MAC invalid' },
  APPLICATION_LOCKED: { zh: '卡片应用已永久锁定', en: 'application permanently locked' },
  KEY_INDEX_NOT_FOUND: { zh: '密钥索引不支持', en: 'key index not supported' },
  MAC_TAC_UNAVAILABLE: { zh: '所需MAC/TAC不可用', en: 'required MAC/TAC unavailable' },
  TRANSACTION_NOT_PROVEN: { zh: '卡片无此交易，未扣款', en: 'no transaction of that ATC: not debited' },
  FUNCTION_NOT_SUPPORTED: { zh: '功能不支持或应用已锁定', en: 'function not supported' },
  FILE_NOT_FOUND: { zh: '文件未找到', en: 'file not found' },
  RECORD_NOT_FOUND: { zh: '记录未找到', en: 'record not found' },
  REFERENCED_DATA_NOT_FOUND: { zh: '密钥未找到', en: 'key/referenced data not found' },
  CONDITIONS_NOT_SATISFIED: { zh: '使用条件不满足', en: 'conditions of use not satisfied' },
  SECURITY_STATUS: { zh: '安全状态不满足', en: 'security status not satisfied' },
  AUTH_BLOCKED: { zh: '认证方法锁定', en: 'authentication method blocked' },
  REFERENCE_DATA_INVALID: { zh: '引用数据无效', en: 'referenced data invalidated' },
  SM_DATA_INCORRECT: { zh: '安全报文数据错误', en: 'secure messaging data incorrect' },
  COMMAND_NOT_ACCEPTED: { zh: '命令不接受', en: 'command not accepted (invalid state)' },
  WRONG_LENGTH: { zh: '指令长度错误', en: 'wrong length' },
  WRONG_DATA: { zh: '数据域参数错误', en: 'incorrect data field' },
  WRONG_P1P2: { zh: '参数P1P2错误', en: 'incorrect P1/P2' },
  WRONG_OFFSET: { zh: '偏移超出文件范围', en: 'offset outside the file' },
  INS_NOT_SUPPORTED: { zh: '指令不支持', en: 'instruction not supported' },
  CLA_NOT_SUPPORTED: { zh: '指令类别不支持', en: 'class not supported' },
  MEMORY_FAILURE: { zh: '卡片存储器故障', en: 'memory failure' },
  WRONG_LE: { zh: '期望长度错误', en: 'wrong Le, {available} available' },
  MORE_DATA: { zh: '还有数据待取', en: '{available} more bytes' },
  VERIFY_FAILED: { zh: '校验失败', en: 'verification failed' },
  UNKNOWN_STATUS: { zh: '卡片返回未知状态{sw}', en: 'unknown status {sw}' },
  // Test tools
  SCRIPT_UNEXPECTED_APDU: { zh: '测试脚本之外的指令', en: 'APDU outside the test script' },
} as const satisfies Record<string, { readonly zh: string; readonly en: string }>;

export type CardErrorCode = keyof typeof CARD_ERRORS;

export type CardErrorParams = Readonly<Record<string, string | number>>;

/** A catalogue message with its `{name}` placeholders filled. */
export function cardErrorMessage(
  code: CardErrorCode,
  lang: 'zh' | 'en',
  params: CardErrorParams = {},
): string {
  return CARD_ERRORS[code][lang].replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

export interface CardErrorOptions {
  readonly params?: CardErrorParams;
  /** The English text when the caller has a more precise one than the catalogue's. */
  readonly message?: string;
  /** The Chinese text when the situation is narrower than the code (e.g. an OBU without a card). */
  readonly messageZh?: string;
}

/** Every error the card layer throws on purpose: a catalogue code and its Chinese message. */
export class CardError extends Error {
  readonly messageZh: string;
  constructor(
    readonly code: CardErrorCode,
    options: CardErrorOptions = {},
  ) {
    super(options.message ?? cardErrorMessage(code, 'en', options.params));
    this.name = 'CardError';
    this.messageZh = options.messageZh ?? cardErrorMessage(code, 'zh', options.params);
  }
}
