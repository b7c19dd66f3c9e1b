import { SPECIAL } from './special';

/**
 * The 【读卡】 checks as a collector sees them: one line per group, green when none of the group's specials
 * was raised (the station names the raised ones; a client shows what was verified beside them).
 */
export const CHECK_GROUPS: readonly { readonly name: string; readonly specials: readonly number[] }[] = [
  {
    name: '卡片与OBU/入口信息一致',
    specials: [
      SPECIAL.CARD_OBU_PLATE,
      SPECIAL.ENTRY_EXIT_CLASS,
      SPECIAL.ENTRY_EXIT_PLATE,
      SPECIAL.ENTRY_EXIT_STATUS_FLAG,
      SPECIAL.ENTRY_TIME_ABNORMAL,
      SPECIAL.ENTRY_STATUS_BYTE,
    ],
  },
  {
    name: '卡片有效（有效期、状态）',
    specials: [
      SPECIAL.CARD_EXPIRED,
      SPECIAL.CARD_NOT_YET_VALID,
      SPECIAL.CARD_LOCKED,
      SPECIAL.CARD_ON_LIST,
      SPECIAL.CARD_ISSUER_INVALID,
      SPECIAL.CARD_ENTRY_INVALID,
    ],
  },
  {
    name: '不在状态名单',
    specials: [SPECIAL.CARD_ON_LIST, SPECIAL.OBU_ON_LIST, SPECIAL.VEHICLE_ON_CHASE_LIST],
  },
];

/** The names of the groups none of whose specials is among `raised`. */
export function passedCheckGroups(raised: Iterable<number>): string[] {
  const bad = new Set(raised);
  return CHECK_GROUPS.filter((g) => !g.specials.some((c) => bad.has(c))).map((g) => g.name);
}
