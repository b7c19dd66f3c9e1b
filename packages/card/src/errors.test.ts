import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CREDIT_SAM_FOR_PURCHASE_STATUS } from './apdu/commands/credit-sam-for-purchase';
import { GET_TRANSACTION_PROVE_STATUS } from './apdu/commands/get-transaction-prove';
import { CardStatusError, describeStatusWord } from './apdu/status';
import { CodecError } from './codec/errors';
import { CARD_ERRORS, CardError, cardErrorMessage } from './errors';
import { Mac2VerificationError } from './psam/errors';
import { InvalidAmountError, PurchaseAbortedError, RetryExhaustedError } from './purchase/errors';
import { CardAbsentError, ReaderError } from './reader/errors';

describe('the card error catalogue', () => {
  it('is documented in ERRORS.md, code for code, with the same Chinese message', () => {
    const doc = readFileSync(new URL('../ERRORS.md', import.meta.url), 'utf8');
    const rows = [...doc.matchAll(/^\| `(\w+)` \| ([^|]+) \|/gm)].map((m) => [m[1], m[2]!.trim()]);
    expect(rows).toEqual(Object.entries(CARD_ERRORS).map(([code, { zh }]) => [code, zh]));
  });

  it('gives every thrown error its catalogue code and Chinese message, keeping the class names', () => {
    const absent = new CardAbsentError();
    expect(absent).toBeInstanceOf(ReaderError);
    expect(absent).toBeInstanceOf(CardError);
    expect([absent.name, absent.code, absent.messageZh]).toEqual([
      'CardAbsentError',
      'CARD_ABSENT',
      CARD_ERRORS.CARD_ABSENT.zh,
    ]);
    const codec = new CodecError('0019', 3, 'bad tag');
    expect([codec.message, codec.messageZh]).toEqual([
      '0019 @3: bad tag',
      '卡片文件0019第3字节数据错误：bad tag',
    ]);
    expect(new RetryExhaustedError(3).message).toBe('gave up after 3 attempts');
    expect(new InvalidAmountError(-1).message).toBe('amount must be an integer fen in 0..4294967295, got -1');
    expect(new PurchaseAbortedError('no').messageZh).toBe('交易已取消');
    expect(new PurchaseAbortedError('no', '车辆在追缴名单中').messageZh).toBe('车辆在追缴名单中');
    expect(new Mac2VerificationError(0x9302).message).toBe('PSAM rejected MAC2 (SW 9302)');
  });

  it('leaves a placeholder without its parameter visible rather than empty', () => {
    expect(cardErrorMessage('UNKNOWN_STATUS', 'zh')).toBe('卡片返回未知状态{sw}');
    expect(cardErrorMessage('UNKNOWN_STATUS', 'zh', { sw: '1234' })).toBe('卡片返回未知状态1234');
  });
});

describe('status words, per command', () => {
  it('every command module owns a status table', () => {
    const dir = new URL('./apdu/commands/', import.meta.url);
    const commands = readdirSync(dir).filter(
      (f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && f !== 'index.ts' && f !== 'response-error.ts',
    );
    expect(commands.length).toBeGreaterThanOrEqual(11);
    for (const f of commands) {
      expect(readFileSync(new URL(f, dir), 'utf8'), f).toMatch(/export const \w+_STATUS: CommandStatusTable/);
    }
  });

  it('a command reads its own words first, the common ISO/PBOC meanings after', () => {
    expect(describeStatusWord(0x9406).code).toBe('MAC_TAC_UNAVAILABLE');
    expect(describeStatusWord(0x9406, GET_TRANSACTION_PROVE_STATUS).code).toBe('TRANSACTION_NOT_PROVEN');
    expect(describeStatusWord(0x9302, CREDIT_SAM_FOR_PURCHASE_STATUS).code).toBe('MAC2_INVALID');
    expect(describeStatusWord(0x6d00, CREDIT_SAM_FOR_PURCHASE_STATUS).code).toBe('INS_NOT_SUPPORTED');
    const e = new CardStatusError(0x6c10, 'READ 0015');
    expect([e.code, e.message, e.messageZh]).toEqual([
      'WRONG_LE',
      'READ 0015: 6C10 wrong Le, 16 available',
      '期望长度错误',
    ]);
    expect(new CardStatusError(0x1234, 'X').messageZh).toBe('卡片返回未知状态1234');
  });
});
