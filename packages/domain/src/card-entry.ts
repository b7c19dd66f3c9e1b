/**
 * 0019 入出口状态 (card-and-obu.md §1.6): what the last lane wrote into the card. 01 MTC entry, 02 MTC exit,
 * 03 ETC entry, 04 ETC exit. S9 also lets 0x10 pass its status-byte check (meaning unknown); it is not read as
 * an entry here, so a card showing it is priced as one without entry.
 */
export const ENTRY_EXIT_STATUS = {
  MTC_ENTRY: 0x01,
  MTC_EXIT: 0x02,
  ETC_ENTRY: 0x03,
  ETC_EXIT: 0x04,
} as const;

/** Whether the card's 0019 holds a usable entry: an entry status and a set time (a zero time is no entry). */
export function hasEntry(f: { readonly status: number; readonly time: number }): boolean {
  return f.time > 0 && (f.status === ENTRY_EXIT_STATUS.MTC_ENTRY || f.status === ENTRY_EXIT_STATUS.ETC_ENTRY);
}
