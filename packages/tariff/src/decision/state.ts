/**
 * The one state every stage of the exit fee decision works on: the fixed inputs of this decision and what
 * the stages have traced so far (rule steps, special codes, authorisation reasons).
 */
import type { MinFeeTables } from '../min-fee';
import type { ProvincePolicy } from './policy';
import type { ACCUMULATED_RULES } from './stages/accumulated';
import type { CHARGE_RULES } from './stages/charge';
import type { CPC_RULES } from './stages/cpc';
import type { CPC_CHARGE_RULES } from './stages/cpc-charge';
import type { ENTRY_RULES } from './stages/entry';
import type { FALLBACK_RULES } from './stages/fallback';
import type { FREE_PASSAGE_RULES } from './stages/free-passage';
import type { INPUT_RULES } from './stages/input';
import type { MEDIA_RULES } from './stages/media';
import type { MIN_FEE_RULES } from './stages/min-fee';
import type { NO_CARD_RULES } from './stages/no-card';
import type { ONLINE_RULES } from './stages/online';
import type { RESULT_RULES } from './stages/result';
import type { YUAN_RULES } from './stages/yuan';
import type {
  AuthReason,
  AuthReasonCode,
  ChargeFigures,
  ExitFeeInput,
  OnlineFeePort,
  TraceStep,
} from './types';

export interface DecisionDeps {
  readonly tables: MinFeeTables;
  readonly onlineFee?: OnlineFeePort;
  readonly policy?: Partial<ProvincePolicy>;
}

/** Every rule ID a trace step can carry; each stage declares its own. */
export type RuleId = (
  | typeof INPUT_RULES
  | typeof MEDIA_RULES
  | typeof ENTRY_RULES
  | typeof MIN_FEE_RULES
  | typeof ACCUMULATED_RULES
  | typeof CPC_RULES
  | typeof CPC_CHARGE_RULES
  | typeof NO_CARD_RULES
  | typeof FREE_PASSAGE_RULES
  | typeof CHARGE_RULES
  | typeof ONLINE_RULES
  | typeof FALLBACK_RULES
  | typeof YUAN_RULES
  | typeof RESULT_RULES
)[number];

const AUTH_TEXT: Record<AuthReasonCode, string> = {
  MIN_FEE: '使用最小费额需要监控确认',
  OVER_BAND: '计费超过上限需要集中监控确认',
  FREE_VEHICLE: '免费车辆需要监控授权并拍照',
  INSPECTION: '需查验后免费放行',
  U_TURN: 'U型车需要业务授权',
  TIMEOUT: '行驶超时需要监控授权',
  ENTRY_TIME: '入口时间异常需要监控授权',
  CLASS_MISMATCH: '出入口车型不一致需要监控授权',
  NO_ENTRY: '无有效入口信息，按所选入口站计费需要监控授权',
  STATUS_FLAG: '出入口车辆状态标识不一致需要监控授权',
};

export class DecisionState {
  readonly trace: TraceStep[] = [];
  readonly codes = new Set<number>();
  readonly auth = new Map<AuthReasonCode, AuthReason>();

  constructor(
    readonly input: ExitFeeInput,
    readonly tables: MinFeeTables,
    readonly policy: ProvincePolicy,
    readonly onlineFee: OnlineFeePort | undefined,
    /** Index of the exit station in the network (checked by the input stage). */
    readonly exitIdx: number,
  ) {}

  step(rule: RuleId, text: string, codes: number[] = []): void {
    for (const c of codes) this.codes.add(c);
    this.trace.push(codes.length > 0 ? { rule, text, codes } : { rule, text });
  }

  authorise(code: AuthReasonCode): void {
    this.auth.set(code, { code, text: AUTH_TEXT[code] });
  }
}

/** What a charging stage settles on: the figures, the charged path's mileage and the refusal fallback. */
export interface Charge {
  readonly figures: ChargeFigures;
  readonly feeMileage: number;
  /** The minimum-fee figures to charge if the monitor refuses an over-band online fee. */
  readonly ifRefused?: ChargeFigures;
}
