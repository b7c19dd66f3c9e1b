/**
 * Province policy for the exit fee decision. Every field is a province choice; the defaults below are
 * marked with the reference's confidence: [S] sourced, [I] inference, [P] proposal (business-rules §2, §5).
 */
export interface HolidayRange {
  /** First free day, Beijing calendar date 'YYYY-MM-DD' (free from 00:00). */
  readonly from: string;
  /** Last free day, inclusive (free until 24:00). */
  readonly to: string;
}

export interface ProvincePolicy {
  /** Apply the ETC discount (the rate is the tariff's `etcDiscount`, default 95/100) [S: ≥ 5% for ETC]. */
  readonly etcDiscountEnabled: boolean;
  /** ETC单卡 (card without OBU) gets the ETC discount. Default false: "不享受ETC优惠" [S13, applied as I]. */
  readonly cardOnlyGetsEtcDiscount: boolean;
  /** 车种 charged zero after authorisation. Default 8, 10, 12, 14, 21, 22, 23, 26 [P]. */
  readonly freeKinds: readonly number[];
  /** Free kinds that also need an inspection (查验) at exit: 21 绿通, 22 联合收割机, 23, 26 [S for 21/22, P]. */
  readonly inspectionKinds: readonly number[];
  /** Holiday free periods by Beijing exit date [S: exit time counts]. Default none (set per year). */
  readonly holidays: readonly HolidayRange[];
  /** Classes eligible for holiday free: 1 (≤ 7-seat passenger cars are inside class 1) [S]. */
  readonly holidayFreeClasses: readonly number[];
  readonly holidayMaxSeats: number;
  /** When the seat count is not known, a class-1 car is treated as ≤ 7 seats [P]. */
  readonly holidayAssumeEligibleWhenSeatsUnknown: boolean;
  /** Travel longer than this is overdue (special 58, authorisation, charged normally) [P]. Default 48 h. */
  readonly timeoutHours: number;
  /** Upper band = M × num/den; the accumulated amount must be in [M, upper] [S: 1.5×]. */
  readonly bandUpper: readonly [number, number];
  /** Online fee timeout, then the local minimum fee [P6: ≤ 1 s]. */
  readonly onlineTimeoutMs: number;
  /** Charging at the minimum fee (exitFeeType 6) needs a monitor's authorisation [S: Hunan 028]. */
  readonly minFeeNeedsAuthorisation: boolean;
  /** Class that the fee uses when entry ≠ exit class: the exit (checked) class, or whichever costs more [P]. */
  readonly classMismatchFeeClass: 'exit' | 'higher';
  /**
   * No/invalid entry info and no entry chosen by the collector: 'require-selection' returns
   * ENTRY_REQUIRED so the UI asks for it [P]; 'farthest' charges the highest minimum fee to this exit
   * (Fujian 路径不可达（省内最远站点计费）[S]).
   */
  readonly noEntryFallback: 'require-selection' | 'farthest';
  /** U-turn without a usable accumulated amount or online fee: charge the farthest-station fee [P]. */
  readonly uTurnFallback: 'farthest' | 'zero';
  /**
   * CPC: every fee block but the last must end at a border gantry (省界门架) [S web, cpc-card.md §5.2]. By
   * default those are the tariff's `border` marks (its own and the national slice's neighbours, from the
   * gantry parameter table); this list adds more HEX, e.g. borders of provinces the tariff does not carry.
   */
  readonly cpcBorderGantries: readonly string[];
  /** CPC card amount band: the card amount A must be in [M, M × num/den] [S web: 1.5×], else 29 / 30. */
  readonly cpcBandUpper: readonly [number, number];
  /** CPC entry age limit [S web: 7 natural days], cpc-card.md §5.2. */
  readonly cpcEntryMaxDays: number;
  /**
   * How the age is counted [P]: Beijing calendar dates (entry 10 May valid through 17 May), or elapsed
   * hours (days × 24 = 168).
   */
  readonly cpcEntryAgeMethod: 'calendar-days' | 'elapsed-hours';
  /**
   * Add the exit's own last segment (latest gantry → exit station, at the minimum fee) to the card amount
   * ("CPC卡加上本省金额前/后") [I, cpc-card.md §5.3 step 1]. Default off: only Fujian's field names suggest
   * it, the reference's worked example (§9) charges Σ blocks alone, and where the last gantry's sum already
   * covers the exit segment it would be charged twice.
   */
  readonly cpcAddExitSegment: boolean;
  /**
   * Non-ETC amounts (CPC, cash) are charged in whole yuan [S]; round half up ('nearest') or 'down'
   * [I, unverified: cpc-card.md §5.3]. Default 'down': never charges more than the fen amount.
   */
  readonly nonEtcRounding: 'nearest' | 'down';
  /**
   * The CPC's cost charged for a lost or damaged card (cpc-card.md §5.4), fen: Beijing ¥40 [S web];
   * [P] a province parameter, default 4000.
   */
  readonly cardCost: number;
}

export const DEFAULT_POLICY: ProvincePolicy = {
  etcDiscountEnabled: true,
  cardOnlyGetsEtcDiscount: false,
  freeKinds: [8, 10, 12, 14, 21, 22, 23, 26],
  inspectionKinds: [21, 22, 23, 26],
  holidays: [],
  holidayFreeClasses: [1],
  holidayMaxSeats: 7,
  holidayAssumeEligibleWhenSeatsUnknown: true,
  timeoutHours: 48,
  bandUpper: [3, 2],
  onlineTimeoutMs: 1000,
  minFeeNeedsAuthorisation: true,
  classMismatchFeeClass: 'exit',
  noEntryFallback: 'require-selection',
  uTurnFallback: 'farthest',
  cpcBorderGantries: [],
  cpcBandUpper: [3, 2],
  cpcEntryMaxDays: 7,
  cpcEntryAgeMethod: 'calendar-days',
  cpcAddExitSegment: false,
  nonEtcRounding: 'down',
  cardCost: 4000,
};
