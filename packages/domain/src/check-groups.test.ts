import { describe, expect, it } from 'vitest';
import { CHECK_GROUPS, passedCheckGroups } from './check-groups';
import { SPECIAL } from './special';

describe('passedCheckGroups', () => {
  it('every group passes when nothing was raised', () => {
    expect(passedCheckGroups([])).toEqual(CHECK_GROUPS.map((g) => g.name));
  });

  it('a card on the status list fails validity and the status-list group, not consistency', () => {
    expect(passedCheckGroups([SPECIAL.CARD_ON_LIST])).toEqual(['卡片与OBU/入口信息一致']);
  });

  it('a plate mismatch fails consistency only', () => {
    expect(passedCheckGroups([SPECIAL.ENTRY_EXIT_PLATE])).toEqual([
      '卡片有效（有效期、状态）',
      '不在状态名单',
    ]);
  });
});
