/**
 * CPC card times: 4-byte UNIX seconds in DF01/EF01, EF02 and EF04. Their base is not sourced
 * ([I, unverified] cpc-card.md "Card times"): UTC epoch seconds by default, Beijing wall-clock seconds
 * (UTC + 8 h) as the alternative. [P] The base is a province setting; every CPC time goes through here.
 */
import { fromBeijingSeconds, toBeijingSeconds } from '@tollpad/domain';

export type CpcTimeBase = 'utc' | 'beijing';

export const DEFAULT_CPC_TIME_BASE: CpcTimeBase = 'utc';

const BEIJING_OFFSET_SECONDS = 8 * 3600;

export function cpcSecondsToDate(seconds: number, base: CpcTimeBase = DEFAULT_CPC_TIME_BASE): Date {
  return base === 'utc' ? new Date(seconds * 1000) : fromBeijingSeconds(seconds, BEIJING_OFFSET_SECONDS);
}

/** Whole seconds (sub-second parts dropped), not range-checked: the codecs check the 4-byte range. */
export function dateToCpcSeconds(date: Date, base: CpcTimeBase = DEFAULT_CPC_TIME_BASE): number {
  return base === 'utc' ? Math.floor(date.getTime() / 1000) : toBeijingSeconds(date, BEIJING_OFFSET_SECONDS);
}
