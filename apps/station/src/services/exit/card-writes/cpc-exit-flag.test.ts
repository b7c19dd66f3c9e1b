import { CPC_EXIT_SPECIAL_TYPES } from '@tollpad/card';
import { SPECIAL } from '@tollpad/domain';
import { CPC_CLOSE_CARD_ERRORS, type CpcCommit } from '@tollpad/station-api';
import { describe, expect, it } from 'vitest';
import type { ExitTypes } from '../exit-parts';
import { cpcExitFlagWrite } from './cpc-exit-flag';

const write = cpcExitFlagWrite<ExitTypes & { proof: CpcCommit }>({ writeFailedSpecial: 523 });
const tradeId = `${'G0000370000100100101'}X${'0'.repeat(16)}`;

describe('the CPC exit flag write', () => {
  it('lets the commit name every card code the card layer gives a special', () => {
    const wire: readonly string[] = CPC_CLOSE_CARD_ERRORS;
    expect(Object.keys(CPC_EXIT_SPECIAL_TYPES).filter((c) => !wire.includes(c))).toEqual([]);
  });

  it('adds the card layer’s special beside the write-failed one, by the card package’s table', () => {
    for (const code of CPC_CLOSE_CARD_ERRORS) {
      const special = CPC_EXIT_SPECIAL_TYPES[code];
      expect(write.specials({ tradeId, cardWrite: 'not-written', cardError: code })).toEqual(
        special === undefined ? [523] : [special, 523],
      );
    }
    expect(write.specials({ tradeId, cardWrite: 'not-written', cardError: 'CPC_UK1_LOCKED' })).toEqual([
      SPECIAL.CPC_UK1_LOCKED,
      523,
    ]);
    expect(write.specials({ tradeId, cardWrite: 'written' })).toEqual([]);
  });

  it('refuses a card error beside a written card', () => {
    expect(() => write.verifyProof?.({ tradeId, cardWrite: 'written', cardError: 'CARD_IO' })).toThrow(
      expect.objectContaining({ code: 'STN_ERR_REQ_INVALID' }),
    );
    expect(() =>
      write.verifyProof?.({ tradeId, cardWrite: 'not-written', cardError: 'CARD_IO' }),
    ).not.toThrow();
  });
});
