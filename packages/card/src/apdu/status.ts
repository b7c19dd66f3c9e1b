/**
 * Status words. Each command module in ./commands owns a table of the status words that command answers
 * (SW → catalogue code); the words below are the ISO 7816-4 and PBOC meanings any command may answer,
 * consulted after the command's own table (reference §6, S10).
 */
import { CardError, type CardErrorCode, cardErrorMessage } from '../errors';
import { swHex } from './apdu';

export interface StatusWordInfo {
  readonly code: CardErrorCode;
  readonly message: string;
  readonly messageZh: string;
}

/** One command's status words: SW → the catalogue code of what it means for that command. */
export type CommandStatusTable = ReadonlyMap<number, CardErrorCode>;

export const SW_OK = 0x9000;

/** Meanings shared by every command (a command's own table is consulted first). */
export const COMMON_STATUS: CommandStatusTable = new Map<number, CardErrorCode>([
  [0x9401, 'INSUFFICIENT_BALANCE'],
  [0x9302, 'MAC_INVALID'],
  [0x9303, 'APPLICATION_LOCKED'],
  [0x9403, 'KEY_INDEX_NOT_FOUND'],
  [0x9406, 'MAC_TAC_UNAVAILABLE'],
  [0x6a81, 'FUNCTION_NOT_SUPPORTED'],
  [0x6a82, 'FILE_NOT_FOUND'],
  [0x6a83, 'RECORD_NOT_FOUND'],
  [0x6a88, 'REFERENCED_DATA_NOT_FOUND'],
  [0x6985, 'CONDITIONS_NOT_SATISFIED'],
  [0x6982, 'SECURITY_STATUS'],
  [0x6983, 'AUTH_BLOCKED'],
  [0x6984, 'REFERENCE_DATA_INVALID'],
  [0x6988, 'SM_DATA_INCORRECT'],
  [0x6901, 'COMMAND_NOT_ACCEPTED'],
  [0x6700, 'WRONG_LENGTH'],
  [0x6a80, 'WRONG_DATA'],
  [0x6a86, 'WRONG_P1P2'],
  [0x6b00, 'WRONG_OFFSET'],
  [0x6d00, 'INS_NOT_SUPPORTED'],
  [0x6e00, 'CLA_NOT_SUPPORTED'],
  [0x6581, 'MEMORY_FAILURE'],
]);

/** The catalogue code a status word means for a command (its own table first, then the common words). */
export function statusCode(sw: number, table?: CommandStatusTable): CardErrorCode {
  const known = table?.get(sw) ?? COMMON_STATUS.get(sw);
  if (known) return known;
  if (sw >> 8 === 0x6c) return 'WRONG_LE';
  if (sw >> 8 === 0x61) return 'MORE_DATA';
  if (sw >> 8 === 0x63) return 'VERIFY_FAILED';
  return 'UNKNOWN_STATUS';
}

function statusParams(sw: number): Record<string, string | number> {
  return { sw: swHex(sw), available: sw & 0xff };
}

export function describeStatusWord(sw: number, table?: CommandStatusTable): StatusWordInfo {
  const code = statusCode(sw, table);
  const params = statusParams(sw);
  return {
    code,
    message: cardErrorMessage(code, 'en', params),
    messageZh: cardErrorMessage(code, 'zh', params),
  };
}

/** A status word other than 9000 from the card or PSAM, read with the command's own table. */
export class CardStatusError extends CardError {
  constructor(
    readonly sw: number,
    /** Which command got it, e.g. 'DEBIT FOR CAPP PURCHASE'. */
    readonly command: string,
    table?: CommandStatusTable,
  ) {
    const info = describeStatusWord(sw, table);
    super(info.code, { message: `${command}: ${swHex(sw)} ${info.message}`, messageZh: info.messageZh });
    this.name = 'CardStatusError';
  }
}

/** Throws CardStatusError unless the response is 9000. */
export function expectOk(resp: { sw: number }, command: string, table?: CommandStatusTable): void {
  if (resp.sw !== SW_OK) throw new CardStatusError(resp.sw, command, table);
}
