import { beijingDate, err, type Fen, ok, type Result, SPECIAL, type VehicleClass } from '@tollpad/domain';
import { CLASS_CODES, classIndex } from '../classes';
import { type MinFee, type MinFeeTables, minFeeAt, stationIndexOf } from '../min-fee';
import { DEFAULT_POLICY, type ProvincePolicy } from './policy';
import {
  type AuthReason,
  type AuthReasonCode,
  type ChargeFigures,
  DecisionError,
  type Ef04Status,
  type ExitFeeDecision,
  type ExitFeeInput,
  type ExitFeeType,
  type OnlineFeePort,
  type OnlineFeeResponse,
  type TraceStep,
} from './types';

/** Every special code this decision can put on a record (the decision-table test reaches each one). */
export const DECISION_SPECIAL_CODES: readonly number[] = [
  SPECIAL.OBU_REMOVED,
  10,
  11,
  SPECIAL.OBU_ENTRY_INVALID,
  13,
  SPECIAL.OBU_AMOUNT_ABOVE_BAND,
  SPECIAL.OBU_AMOUNT_BELOW_MIN,
  SPECIAL.CARD_ENTRY_INVALID,
  SPECIAL.CARD_AMOUNT_ABOVE_BAND,
  SPECIAL.CARD_AMOUNT_BELOW_MIN,
  SPECIAL.ENTRY_EXIT_CLASS,
  SPECIAL.ENTRY_EXIT_STATUS_FLAG,
  SPECIAL.ENTRY_TIME_ABNORMAL,
  SPECIAL.TIMEOUT,
  SPECIAL.PATH_UNREACHABLE_ENTRY,
  SPECIAL.ONLINE_FEE_FAILED_PROVINCE,
  SPECIAL.ONLINE_FEE_FAILED_NATIONAL,
  SPECIAL.ONLINE_FEE_ZERO,
  SPECIAL.ONLINE_FEE_BELOW_MIN,
  SPECIAL.ONLINE_FEE_ABOVE_BAND,
  SPECIAL.FEE_PATH_UNREACHABLE,
  SPECIAL.FEE_TOO_MANY_GANTRIES,
  SPECIAL.FEE_FIT_FAILED,
  SPECIAL.U_TURN,
  SPECIAL.HOLIDAY_FREE,
  SPECIAL.GREEN_CHANNEL,
  SPECIAL.COMBINE_HARVESTER,
];

/** exitFeeType values this decision can emit (2 deprecated, 3 CPC and 11 open system are not ETC exit). */
export const DECISION_EXIT_FEE_TYPES: readonly ExitFeeType[] = [1, 4, 5, 6];

const EF04_CODE: Record<Exclude<Ef04Status, 'ok'>, number> = {
  'bad-prefix': 10,
  'no-card-passes': 11,
  'entry-invalid': SPECIAL.OBU_ENTRY_INVALID,
  'no-province': 13,
};

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

export interface DecisionDeps {
  readonly tables: MinFeeTables;
  readonly onlineFee?: OnlineFeePort;
  readonly policy?: Partial<ProvincePolicy>;
}

const f = (n: number) => n as Fen;

class Ctx {
  readonly trace: TraceStep[] = [];
  readonly codes = new Set<number>();
  readonly auth = new Map<AuthReasonCode, AuthReason>();
  step(rule: string, text: string, codes: number[] = []): void {
    for (const c of codes) this.codes.add(c);
    this.trace.push(codes.length > 0 ? { rule, text, codes } : { rule, text });
  }
  authorise(code: AuthReasonCode): void {
    this.auth.set(code, { code, text: AUTH_TEXT[code] });
  }
}

interface Base {
  figures: ChargeFigures;
  feeMileage: number;
  ifRefused?: ChargeFigures;
}

/**
 * The exit fee decision (【算费】), pure apart from the online-fee port. See README for the rule order.
 * Errors (typed) only for inputs the collector must fix: unknown exit station/class, missing entry.
 */
export async function decideExitFee(
  input: ExitFeeInput,
  deps: DecisionDeps,
): Promise<Result<ExitFeeDecision, DecisionError>> {
  const policy: ProvincePolicy = { ...DEFAULT_POLICY, ...deps.policy };
  const t = deps.tables;
  const net = t.network;
  const x = new Ctx();
  const exitIdx = stationIndexOf(net, input.exitStation);
  if (exitIdx < 0) {
    return err(
      new DecisionError('EXIT_STATION_UNKNOWN', 'exitStation', `出口站 ${input.exitStation} 不在费率表中`),
    );
  }
  if (!(input.exitTime instanceof Date) || Number.isNaN(input.exitTime.getTime())) {
    return err(new DecisionError('INPUT_INVALID', 'exitTime', '出口时间无效'));
  }
  if (input.card.entry && Number.isNaN(input.card.entry.time.getTime())) {
    return err(new DecisionError('INPUT_INVALID', 'card.entry.time', '入口时间无效'));
  }
  if (classIndex(input.vehicleClass) < 0) {
    return err(new DecisionError('CLASS_UNKNOWN', 'vehicleClass', `无效车型 ${input.vehicleClass}`));
  }
  x.step(
    'INPUT',
    `出口站 ${net.nodeIds[exitIdx]}，车型 ${input.vehicleClass}，车种 ${input.vehicleKind}，费率版本 ${t.version}`,
  );

  // 1. Media: which accumulated amount can be trusted, and whether the ETC discount applies.
  const obu = input.obu;
  let obuUsable = obu !== null;
  if (obu === null) x.step('MEDIA.CARD_ONLY', 'ETC单卡（无OBU）：按卡片累计金额判断');
  if (obu?.removed) {
    obuUsable = false;
    x.step('MEDIA.OBU_REMOVED', 'OBU已拆卸：不采用EF04金额', [SPECIAL.OBU_REMOVED]);
  }
  if (obu && obu.ef04 !== 'ok') {
    obuUsable = false;
    x.step('MEDIA.EF04_INVALID', `EF04校验失败（${obu.ef04}）：不采用EF04金额`, [EF04_CODE[obu.ef04]]);
  }
  // 0x01 非优惠 written at entry: the vehicle is not entitled to the ETC discount [I].
  const nonPreferential = input.card.entry?.statusFlag === 0x01;
  const discount =
    policy.etcDiscountEnabled && !nonPreferential && (obu !== null || policy.cardOnlyGetsEtcDiscount);
  x.step(
    discount ? 'DISCOUNT.ETC' : 'DISCOUNT.NONE',
    discount
      ? `享受ETC优惠（${net.header.etcDiscount[0]}/${net.header.etcDiscount[1]}，逐收费单元四舍五入）`
      : nonPreferential
        ? '入口车辆状态标识为非优惠（0x01）：不享受ETC优惠'
        : obu === null
          ? 'ETC单卡不享受ETC优惠'
          : '本省未启用ETC优惠',
  );

  // 2. Entry.
  const entry = input.card.entry;
  let entryIdx = entry ? stationIndexOf(net, entry.station) : -1;
  let noEntry = false;
  if (!entry || entryIdx < 0) {
    noEntry = true;
    x.step('ENTRY.INVALID', entry ? `入口站 ${entry.station} 不在费率表中` : '卡片无有效入口信息', [
      SPECIAL.CARD_ENTRY_INVALID,
    ]);
    if (input.selectedEntryStation !== undefined) {
      entryIdx = stationIndexOf(net, input.selectedEntryStation);
      if (entryIdx < 0) {
        return err(
          new DecisionError(
            'ENTRY_STATION_UNKNOWN',
            'selectedEntryStation',
            `所选入口站 ${input.selectedEntryStation} 不存在`,
          ),
        );
      }
      x.step('ENTRY.SELECTED', `收费员选择入口站 ${net.nodeIds[entryIdx]}，按最小费额计费`);
    } else if (policy.noEntryFallback === 'require-selection') {
      return err(new DecisionError('ENTRY_REQUIRED', 'selectedEntryStation', '无入口信息，请选择入口站'));
    } else {
      x.step('ENTRY.FARTHEST', '无入口信息：按省内最远站点（最高最小费额）计费');
    }
    x.authorise('NO_ENTRY');
  }
  let feeClass: VehicleClass = input.vehicleClass;
  if (entry && !noEntry) {
    const hours = (input.exitTime.getTime() - entry.time.getTime()) / 3_600_000;
    if (!(hours >= 0)) {
      x.step('ENTRY.TIME_ABNORMAL', '入口时间晚于出口时间', [SPECIAL.ENTRY_TIME_ABNORMAL]);
      x.authorise('ENTRY_TIME');
    } else if (hours > policy.timeoutHours) {
      x.step('ENTRY.TIMEOUT', `行驶${hours.toFixed(1)}小时，超过${policy.timeoutHours}小时`, [
        SPECIAL.TIMEOUT,
      ]);
      x.authorise('TIMEOUT');
    }
    if (entry.vehicleClass !== input.vehicleClass) {
      x.step('ENTRY.CLASS_MISMATCH', `入口车型 ${entry.vehicleClass} ≠ 出口车型 ${input.vehicleClass}`, [
        SPECIAL.ENTRY_EXIT_CLASS,
      ]);
      x.authorise('CLASS_MISMATCH');
      const ei = classIndex(entry.vehicleClass);
      if (policy.classMismatchFeeClass === 'higher' && ei >= 0) {
        const a = minFeeAt(t, entryIdx, exitIdx, classIndex(input.vehicleClass));
        const b = minFeeAt(t, entryIdx, exitIdx, ei);
        if (b.reachable && (!a.reachable || b.fee > a.fee)) {
          feeClass = CLASS_CODES[ei]!;
          x.step('ENTRY.CLASS_HIGHER', `按较高的入口车型 ${feeClass} 计费`);
        }
      }
    }
  }
  if (entry && !noEntry && statusFlagMismatch(entry.statusFlag, input.vehicleKind)) {
    x.step(
      'ENTRY.STATUS_FLAG',
      `入口车辆状态标识 0x${(entry.statusFlag ?? 0xff).toString(16).padStart(2, '0')} 与出口车种 ${input.vehicleKind} 不符`,
      [SPECIAL.ENTRY_EXIT_STATUS_FLAG],
    );
    x.authorise('STATUS_FLAG');
  }
  const ci = classIndex(feeClass);
  const uTurn = !noEntry && entryIdx === exitIdx;
  if (uTurn) {
    x.step('ENTRY.U_TURN', '入口站与出口站相同（U型车）', [SPECIAL.U_TURN]);
    x.authorise('U_TURN');
  }

  // 3. Minimum fee M (like with like: ETC compares fee95).
  const farthest = (): MinFee => farthestMinFee(t, exitIdx, ci);
  const m: MinFee = entryIdx >= 0 ? minFeeAt(t, entryIdx, exitIdx, ci) : farthest();
  if (!m.reachable) x.step('MINFEE.UNREACHABLE', '入出口之间无可达路径', [SPECIAL.PATH_UNREACHABLE_ENTRY]);
  const mCmp = m.reachable ? (discount ? m.fee95 : m.fee) : 0;
  const mFigures = (mm: MinFee): ChargeFigures | undefined =>
    mm.reachable
      ? {
          payFee: mm.fee,
          fee: discount ? mm.fee95 : mm.fee,
          discountFee: f(discount ? mm.fee - mm.fee95 : 0),
          exitFeeType: 6,
        }
      : undefined;
  if (m.reachable)
    x.step('MINFEE', `最小费额 ${m.fee}，ETC ${m.fee95}，里程 ${m.mileageM} 米（比较值 ${mCmp}）`);
  const [bn, bd] = policy.bandUpper;
  const inBand = (a: number) => a >= mCmp && a * bd <= mCmp * bn;

  // 4. Accumulated amount A.
  let acc: { amount: number; payFee: number; source: 'obu' | 'card' } | undefined;
  if (obu && obuUsable) {
    acc = discount
      ? { amount: obu.totalDiscountAmount, payFee: obu.totalAmount, source: 'obu' }
      : { amount: obu.totalAmount, payFee: obu.totalAmount, source: 'obu' };
  } else if (input.card.accumulatedAmount !== undefined) {
    const a = input.card.accumulatedAmount;
    acc = { amount: a, payFee: a, source: 'card' };
  }
  const accFigures = (a: NonNullable<typeof acc>): ChargeFigures => ({
    payFee: f(Math.max(a.payFee, a.amount)),
    fee: f(a.amount),
    discountFee: f(Math.max(a.payFee, a.amount) - a.amount),
    exitFeeType: 1,
  });

  // 5. Free kinds and holiday free: fee 0, payFee = what would be due (no online call for a free vehicle).
  const freeKind = policy.freeKinds.includes(input.vehicleKind);
  const holiday = !freeKind && isHolidayFree(input, policy);
  if (freeKind || holiday) {
    let due: ChargeFigures | undefined;
    if (acc && m.reachable && !noEntry && inBand(acc.amount)) due = accFigures(acc);
    else due = mFigures(m);
    const payFee = due?.payFee ?? f(0);
    let discountType: 1 | 2 | 5 | undefined;
    if (freeKind) {
      const codes =
        input.vehicleKind === 21
          ? [SPECIAL.GREEN_CHANNEL]
          : input.vehicleKind === 22
            ? [SPECIAL.COMBINE_HARVESTER]
            : [];
      discountType = input.vehicleKind === 21 ? 1 : input.vehicleKind === 22 ? 2 : undefined;
      x.step('FREE.KIND', `车种 ${input.vehicleKind} 免费通行`, codes);
      x.authorise('FREE_VEHICLE');
      if (policy.inspectionKinds.includes(input.vehicleKind)) x.authorise('INSPECTION');
    } else {
      discountType = 5;
      x.step('FREE.HOLIDAY', `节假日免费（按出口北京时间 ${beijingDate(input.exitTime)}）`, [
        SPECIAL.HOLIDAY_FREE,
      ]);
    }
    const figures: ChargeFigures = {
      payFee,
      discountFee: payFee,
      fee: f(0),
      exitFeeType: due?.exitFeeType ?? 6,
    };
    return ok(
      finish(
        x,
        t,
        m,
        mCmp,
        discount,
        entryIdx,
        feeClass,
        { figures, feeMileage: mileageOf(m) },
        discountType,
      ),
    );
  }

  // 6. Charge.
  let base: Base | undefined;
  if (noEntry) {
    const mf = mFigures(m);
    if (mf) {
      base = { figures: mf, feeMileage: mileageOf(m) };
      x.step('CHARGE.MIN_FEE_NO_ENTRY', `无入口信息：按最小费额 ${mf.fee} 计费`);
    }
  } else if (uTurn) {
    if (acc && acc.amount > 0) {
      base = { figures: accFigures(acc), feeMileage: 0 };
      x.step(
        'CHARGE.U_TURN_ACCUMULATED',
        `U型车按${acc.source === 'obu' ? 'OBU' : '卡'}累计金额 ${acc.amount} 计费`,
      );
    } else {
      x.step('CHARGE.U_TURN_ONLINE', 'U型车无累计金额：请求在线计费');
      // M(S, S) = 0, so the band checks are meaningless: no min-fee comparison for a U-turn.
      base = await online(input, deps, policy, x, entryIdx, exitIdx, feeClass, discount, 0, undefined);
    }
  } else if (acc && m.reachable && inBand(acc.amount)) {
    base = { figures: accFigures(acc), feeMileage: mileageOf(m) };
    x.step('BAND.IN', `累计金额 ${acc.amount} 在 [${mCmp}, ${mCmp}×${bn}/${bd}] 内：按累计金额计费`);
  } else {
    if (acc && m.reachable) {
      const above = acc.amount > mCmp;
      const code =
        acc.source === 'obu'
          ? above
            ? SPECIAL.OBU_AMOUNT_ABOVE_BAND
            : SPECIAL.OBU_AMOUNT_BELOW_MIN
          : above
            ? SPECIAL.CARD_AMOUNT_ABOVE_BAND
            : SPECIAL.CARD_AMOUNT_BELOW_MIN;
      x.step(
        above ? 'BAND.ABOVE' : 'BAND.BELOW',
        `累计金额 ${acc.amount} ${above ? '大于最小费额1.5倍' : '小于最小费额'}`,
        [code],
      );
    } else if (!acc) {
      x.step('BAND.NO_AMOUNT', '无可用累计金额：请求在线计费');
    }
    base = await online(input, deps, policy, x, entryIdx, exitIdx, feeClass, discount, mCmp, mFigures(m));
  }
  if (!base) {
    // Nothing reachable and no online fee: farthest-station fee, or zero for a U-turn if the province says so.
    const useZero = uTurn && policy.uTurnFallback === 'zero';
    const far = farthest();
    const chosen = uTurn || !m.reachable ? far : m;
    const ff = useZero ? undefined : mFigures(chosen);
    const figures: ChargeFigures = ff ?? { payFee: f(0), discountFee: f(0), fee: f(0), exitFeeType: 6 };
    x.step('CHARGE.FALLBACK', useZero ? 'U型车无法计费：按0元（本省策略）' : `按最小费额兜底 ${figures.fee}`);
    base = { figures, feeMileage: mileageOf(chosen) };
  }
  if (base.figures.exitFeeType === 6 && policy.minFeeNeedsAuthorisation) x.authorise('MIN_FEE');
  return ok(finish(x, t, m, mCmp, discount, entryIdx, feeClass, base, undefined));
}

async function online(
  input: ExitFeeInput,
  deps: DecisionDeps,
  policy: ProvincePolicy,
  x: Ctx,
  entryIdx: number,
  exitIdx: number,
  feeClass: VehicleClass,
  discount: boolean,
  mCmp: number,
  mFig: ChargeFigures | undefined,
): Promise<Base | undefined> {
  const net = deps.tables.network;
  const entryId = net.nodeIds[entryIdx]!;
  const exitId = net.nodeIds[exitIdx]!;
  const cross = (input.obu?.provinceCount ?? 1) > 1 || entryId.slice(5, 7) !== exitId.slice(5, 7);
  const level = cross ? 'ministry' : 'province';
  const type: ExitFeeType = cross ? 5 : 4;
  const failCode = cross ? SPECIAL.ONLINE_FEE_FAILED_NATIONAL : SPECIAL.ONLINE_FEE_FAILED_PROVINCE;
  let r: OnlineFeeResponse;
  if (!deps.onlineFee) {
    r = { ok: false, reason: '未配置在线计费服务' };
  } else {
    r = await callWithTimeout(
      deps.onlineFee,
      {
        level,
        entryStation: entryId,
        exitStation: exitId,
        vehicleClass: feeClass,
        gantries: input.gantries ?? [],
        exitTime: input.exitTime,
      },
      policy.onlineTimeoutMs,
    );
  }
  const fallback = (rule: string, text: string, codes: number[]): Base | undefined => {
    x.step(rule, text, codes);
    if (!mFig) return undefined;
    x.step('CHARGE.MIN_FEE', `按最小费额 ${mFig.fee} 计费（exitFeeType 6）`);
    return { figures: mFig, feeMileage: 0 };
  };
  if (!r.ok) {
    const codes = r.special !== undefined ? [failCode, r.special] : [failCode];
    return fallback('ONLINE.FAILED', `${cross ? '部中心' : '省中心'}在线计费失败：${r.reason}`, codes);
  }
  const amount = discount ? r.fee95 : r.fee;
  const figures: ChargeFigures = {
    payFee: r.fee,
    fee: amount,
    discountFee: f(r.fee - amount),
    exitFeeType: type,
  };
  if (amount === 0 && (mCmp > 0 || !mFig))
    return fallback('ONLINE.ZERO', '在线计费金额为0', [SPECIAL.ONLINE_FEE_ZERO]);
  if (amount < mCmp) {
    return fallback('ONLINE.BELOW_MIN', `在线计费金额 ${amount} 小于最小费额 ${mCmp}`, [
      SPECIAL.ONLINE_FEE_BELOW_MIN,
    ]);
  }
  const [bn, bd] = policy.bandUpper;
  if (mFig && amount * bd > mCmp * bn) {
    x.step('ONLINE.ABOVE_BAND', `在线计费金额 ${amount} 大于最小费额1.5倍：需监控确认，拒绝则按最小费额`, [
      SPECIAL.ONLINE_FEE_ABOVE_BAND,
    ]);
    x.authorise('OVER_BAND');
    return { figures, feeMileage: r.mileageM, ifRefused: mFig };
  }
  x.step('ONLINE.OK', `${cross ? '部中心' : '省中心'}在线计费 ${amount}（exitFeeType ${type}）`);
  return { figures, feeMileage: r.mileageM };
}

async function callWithTimeout(
  port: OnlineFeePort,
  req: Parameters<OnlineFeePort>[0],
  ms: number,
): Promise<OnlineFeeResponse> {
  const ac = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<OnlineFeeResponse>((resolve) => {
    timer = setTimeout(() => {
      ac.abort();
      resolve({ ok: false, reason: `超时（${ms} 毫秒）` });
    }, ms);
  });
  try {
    return await Promise.race([
      port(req, ac.signal).catch(
        (e: unknown): OnlineFeeResponse => ({
          ok: false,
          reason: e instanceof Error ? e.message : String(e),
        }),
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function mileageOf(m: MinFee): number {
  return m.reachable ? m.mileageM : 0;
}

/** The highest minimum fee from any station to this exit (省内最远站点计费). */
export function farthestMinFee(t: MinFeeTables, exitIdx: number, ci: number): MinFee {
  let best: MinFee = { reachable: false, version: t.version };
  for (let s = 0; s < t.network.stationCount; s++) {
    const m = minFeeAt(t, s, exitIdx, ci);
    if (m.reachable && (!best.reachable || m.fee > best.fee)) best = m;
  }
  return best;
}

/** 车种 → the status flag its entry should carry (25 大件 0x00, 21 绿通 0x02, 22 0x03, 24/28 集装箱 0x04). */
const KIND_FLAG: ReadonlyMap<number, number> = new Map([
  [25, 0x00],
  [21, 0x02],
  [22, 0x03],
  [24, 0x04],
  [28, 0x04],
]);

/** Special 53: a kind that needs a flag without it, or a kind-specific flag on another kind. */
function statusFlagMismatch(flag: number | undefined, kind: number): boolean {
  if (flag === undefined) return false;
  const want = KIND_FLAG.get(kind);
  if (want !== undefined) return flag !== want;
  return [...KIND_FLAG.values()].includes(flag);
}

function isHolidayFree(input: ExitFeeInput, p: ProvincePolicy): boolean {
  if (!p.holidayFreeClasses.includes(input.vehicleClass)) return false;
  if (
    input.seats === undefined ? !p.holidayAssumeEligibleWhenSeatsUnknown : input.seats > p.holidayMaxSeats
  ) {
    return false;
  }
  const day = beijingDate(input.exitTime);
  return p.holidays.some((h) => h.from <= day && day <= h.to);
}

function finish(
  x: Ctx,
  t: MinFeeTables,
  m: MinFee,
  mCmp: number,
  discount: boolean,
  entryIdx: number,
  feeClass: VehicleClass,
  base: Base,
  discountType: 1 | 2 | 5 | undefined,
): ExitFeeDecision {
  const { figures } = base;
  const shortFee = f(mCmp);
  const feeRate =
    shortFee > 0 ? Math.round((figures.fee / shortFee) * 10000) / 10000 : figures.fee === 0 ? 1 : 0;
  const reasons = [...x.auth.values()];
  x.step(
    'RESULT',
    `应收 ${figures.payFee}，优惠 ${figures.discountFee}，实收 ${figures.fee}，exitFeeType ${figures.exitFeeType}` +
      (reasons.length > 0 ? `；需授权：${reasons.map((r) => r.text).join('；')}` : ''),
  );
  return {
    ...figures,
    shortFee,
    shortFeeMileage: mileageOf(m),
    feeMileage: base.feeMileage || mileageOf(m),
    feeRate,
    specialCodes: [...x.codes].sort((a, b) => a - b),
    ...(discountType !== undefined ? { discountType } : {}),
    etcDiscountApplied: discount,
    ...(entryIdx >= 0 ? { entryStation: t.network.nodeIds[entryIdx]! } : {}),
    feeClass,
    spcRateVersion: t.version,
    authorisation: { required: reasons.length > 0, reasons },
    ...(base.ifRefused ? { ifRefused: base.ifRefused } : {}),
    trace: x.trace,
  };
}
