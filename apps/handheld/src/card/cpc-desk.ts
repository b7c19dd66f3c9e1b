import type { CpcCloseCardError, CpcRead as CpcReadPayload } from '@tollpad/station-api';
import type { CpcSummary } from './cpc-summary';

export interface CpcRead {
  /** The five files as raw hex, for the station (which decodes them itself). */
  payload: CpcReadPayload;
  summary: CpcSummary;
}

/**
 * What became of the exit write (写卡/关闭CPC, cpc-card.md §6): written and read back, or not (the card is
 * kept either way and the payment stands). `reason` says what the handheld saw, for the record; `cardError`
 * is the card layer's code when the failure has one the commit can carry (the station's specials key on it).
 */
export type CpcWriteOutcome =
  | { outcome: 'written' }
  | { outcome: 'not-written'; reason: string; cardError?: CpcCloseCardError };

/**
 * The handheld's CPC work, all in the page (APDUs never go to the station): 【读卡】 of the five files and,
 * after the payment, the exit write that turns the card's radio off. Implemented over @tollpad/card's CpcExit.
 */
export interface CpcDesk {
  /** 【读卡】: MF/EF01, MF/EF02, DF01/EF01, EF02 and the EF04 blocks EF02 announces. */
  read(): Promise<CpcRead>;
  /**
   * 写卡/关闭CPC on the card with this CPC ID: authenticate, write EF01 bytes 23–24, read back. A card
   * failure is an outcome (`not-written`), not an error.
   */
  close(cpcId: string): Promise<CpcWriteOutcome>;
}
