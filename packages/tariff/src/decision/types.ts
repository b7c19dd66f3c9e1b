import type { CpcFeeBlock, Fen, VehicleClass, VehicleKind } from '@tollpad/domain';
import type { GantryPass } from '../fit';

export interface EntryInfo {
  /** 14-char station ID or 8-char hex, from card 0019. */
  readonly station: string;
  readonly time: Date;
  /** Class written at entry. */
  readonly vehicleClass: number;
  /** 车辆状态标识 written at entry: 0x00 大件, 0x01 非优惠, 0x02 绿通, 0x03 联合收割机, 0x04 集装箱, 0xFF none. */
  readonly statusFlag?: number;
}

export interface CardData {
  /** Card 0015 user type (0 普通, 8 军警, …). */
  readonly userType: number;
  /** Entry info from 0019; null when there is none or it is invalid (special 26). */
  readonly entry: EntryInfo | null;
  /** Card accumulated amount (0019, after discount) [I: HL ETCTOTALAMOUNT]. */
  readonly accumulatedAmount?: Fen;
}

/** EF04 check outcome: ok, or the reason its amounts cannot be used (specials 10–13). */
export type Ef04Status = 'ok' | 'bad-prefix' | 'no-card-passes' | 'entry-invalid' | 'no-province';

export interface ObuData {
  readonly ef04: Ef04Status;
  /** OBU tamper/拆卸 flag (special 2): EF04 amounts are not trusted. */
  readonly removed: boolean;
  /** 累计应收 (before discount), fen. */
  readonly totalAmount: Fen;
  /** 累计实收 (after discount), fen. */
  readonly totalDiscountAmount: Fen;
  readonly provinceCount: number;
}

/**
 * One DF01/EF04 fee block (23 B, one per province) as the CPC codec decodes it (cpc-card.md §2.6): the domain's
 * CpcFeeBlock, the same type the card layer's codec returns, so the station hands the blocks over as they are.
 */
export type CpcFeeBlockFacts = CpcFeeBlock;

/** What the CPC fee stage reads from a CPC (cpc-card.md §5.2): EF02 byte 0, the EF04 blocks, the path. */
export interface CpcFeeFacts {
  /** 通行省份个数, DF01/EF02 byte 0 (the blocks read should number exactly this). */
  readonly provinceCount: number;
  /** The EF04 blocks read, in card order (block 1 first). */
  readonly blocks: readonly CpcFeeBlockFacts[];
  /** EF02's gantry HEX list (本省 path, ≤ 24 entries). */
  readonly pathGantries: readonly string[];
  /** Entry time from DF01/EF01 (null when the card carries no entry). */
  readonly entryTime: Date | null;
}

export interface ExitFeeInput {
  /**
   * The card's entry data. For a CPC exit: the CPC's DF01/EF01 entry (station = net + station hex8),
   * `userType` 0 and no `accumulatedAmount` — the CPC amount comes from `cpc`.
   */
  readonly card: CardData;
  /** null: ETC单卡 — card presented without OBU. */
  readonly obu: ObuData | null;
  readonly vehicleClass: VehicleClass;
  readonly vehicleKind: VehicleKind;
  /** Seats, when known (holiday free is for ≤ 7 seats). */
  readonly seats?: number;
  readonly exitStation: string;
  readonly exitTime: Date;
  /** Gantries passed, time-ordered (from EF04/the centre), for the online fee. */
  readonly gantries?: readonly GantryPass[];
  /** Entry station chosen by the collector when the card has no valid entry info. */
  readonly selectedEntryStation?: string;
  /** The actual plate as the collector confirmed it (e.g. 甘A12345); the online fee is asked by it. */
  readonly plate?: string;
  /** A CPC exit (mediaType 2): the card's fee facts. An exit has either ETC facts (`obu`) or these; set `obu` null. */
  readonly cpc?: CpcFeeFacts;
  /**
   * An exit without a usable card (cpc-card.md §5.4): why, and the entry the driver states. Set `obu` null,
   * `card.entry` null and no `cpc`; the fee comes from the plate, the stated entry or the farthest route.
   */
  readonly noCard?: NoCardFacts;
}

/** Why the vehicle has no usable card: none taken at entry (36), a CPC lost (36) or damaged (35). */
export type NoCardReason = 'no-card' | 'lost' | 'damaged';

export interface NoCardFacts {
  readonly reason: NoCardReason;
  /** The entry station the driver states (14-char ID or 8-hex), when stated. */
  readonly statedEntry?: string;
  /** The driver refuses (or cannot) state an entry: straight to the farthest route. */
  readonly refused?: boolean;
}

/** The rules that can set a no-card exit's toll (its record's `feeRule`). */
export type NoCardFeeRule = 'NOCARD.PLATE' | 'NOCARD.STATED' | 'NOCARD.FARTHEST' | 'NOCARD.NO_FEE';

/** What a no-card decision adds: the toll and the card cost apart (fee = toll + cardCost), and the rule used. */
export interface NoCardOutcome {
  readonly reason: NoCardReason;
  readonly rule: NoCardFeeRule;
  /** The toll alone (whole yuan), fen. */
  readonly toll: Fen;
  /** The CPC's cost for a lost or damaged card (policy `cardCost`), else 0, fen. */
  readonly cardCost: Fen;
  /** The stated entry as the tariff names it, when it was usable and charged. */
  readonly statedEntry?: string;
  /** The entry the centre inferred from the plate's passages (online fee by plate). */
  readonly inferredEntry?: string;
}

export interface OnlineFeeRequest {
  /** 'province' → 省中心 (exitFeeType 4); 'ministry' → 部中心 (5). */
  readonly level: 'province' | 'ministry';
  /** Absent for a no-card exit's fee by plate: the centre infers the entry from the plate's passages. */
  readonly entryStation?: string;
  readonly exitStation: string;
  readonly vehicleClass: number;
  readonly gantries: readonly GantryPass[];
  readonly exitTime: Date;
  /** The actual plate, when known (a CPC's online fee is by plate, cpc-card.md §5.3 step 2). */
  readonly plate?: string;
}

export type OnlineFeeResponse =
  | {
      readonly ok: true;
      readonly fee: Fen;
      readonly fee95: Fen;
      readonly mileageM: number;
      /** The entry the centre used (inferred from the plate when the request named none). */
      readonly entryStation?: string;
    }
  | { readonly ok: false; readonly special?: 66 | 67 | 68; readonly reason: string };

/** The online-fee service (may fail, may time out; the decision bounds it by policy.onlineTimeoutMs). */
export type OnlineFeePort = (req: OnlineFeeRequest, signal: AbortSignal) => Promise<OnlineFeeResponse>;

/** 1 OBU accumulated, 3 按CPC卡内累计金额, 4 省中心 online, 5 部中心 online, 6 全网最小费额. */
export type ExitFeeType = 1 | 3 | 4 | 5 | 6;

export type AuthReasonCode =
  | 'MIN_FEE'
  | 'OVER_BAND'
  | 'FREE_VEHICLE'
  | 'INSPECTION'
  | 'U_TURN'
  | 'TIMEOUT'
  | 'ENTRY_TIME'
  | 'CLASS_MISMATCH'
  | 'NO_ENTRY'
  | 'STATUS_FLAG';

export interface AuthReason {
  readonly code: AuthReasonCode;
  readonly text: string;
}

export interface TraceStep {
  /** Stable rule id, e.g. 'BAND.IN'. */
  readonly rule: string;
  readonly text: string;
  readonly codes?: readonly number[];
}

export interface ChargeFigures {
  readonly payFee: Fen;
  readonly discountFee: Fen;
  readonly fee: Fen;
  readonly exitFeeType: ExitFeeType;
}

export interface ExitFeeDecision extends ChargeFigures {
  readonly shortFee: Fen;
  readonly shortFeeMileage: number;
  /** Mileage of the charged path when known (online fit or min-fee path), metres. */
  readonly feeMileage: number;
  /** fee / shortFee rounded to 4 decimals; 1 when both are 0. */
  readonly feeRate: number;
  readonly specialCodes: readonly number[];
  /** Ministry discountType: 1 绿通, 2 联合收割机, 5 节假日. */
  readonly discountType?: 1 | 2 | 5;
  readonly etcDiscountApplied: boolean;
  readonly entryStation?: string;
  readonly feeClass: VehicleClass;
  readonly spcRateVersion: string;
  readonly authorisation: { readonly required: boolean; readonly reasons: readonly AuthReason[] };
  /** What to charge if the monitor refuses an over-band online fee (Hunan 027): the minimum fee. */
  readonly ifRefused?: ChargeFigures;
  /** A no-card exit: the toll and the card cost apart, and the rule that set the toll. */
  readonly noCard?: NoCardOutcome;
  readonly trace: readonly TraceStep[];
}

export type DecisionErrorCode =
  | 'EXIT_STATION_UNKNOWN'
  | 'CLASS_UNKNOWN'
  | 'ENTRY_REQUIRED'
  | 'ENTRY_STATION_UNKNOWN'
  | 'INPUT_INVALID';

export class DecisionError extends Error {
  constructor(
    readonly code: DecisionErrorCode,
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
    this.name = 'DecisionError';
  }
}
