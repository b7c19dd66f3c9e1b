/**
 * Online stage: the province's (省中心, exitFeeType 4) or the ministry's (部中心, 5) online fee, bounded by
 * the policy's timeout, checked against the minimum fee; on failure, zero or below M, the minimum fee.
 */
import { EXIT_FEE_TYPE, type Fen, SPECIAL } from '@tollpad/domain';
import type { Charge, DecisionState } from '../state';
import type { ChargeFigures, ExitFeeType, OnlineFeePort, OnlineFeeResponse } from '../types';
import type { EntryFacts } from './entry';
import type { MediaFacts } from './media';

export const ONLINE_RULES = [
  'ONLINE.FAILED',
  'ONLINE.ZERO',
  'ONLINE.BELOW_MIN',
  'ONLINE.ABOVE_BAND',
  'ONLINE.OK',
  'CHARGE.MIN_FEE',
] as const;

export interface OnlineBounds {
  /** The minimum fee as compared (0: no comparison, as for a U-turn). */
  readonly mCmp: number;
  /** The minimum-fee figures to fall back to; undefined when there is none. */
  readonly minFee: ChargeFigures | undefined;
  /**
   * false: a failed, zero or below-M online fee returns undefined instead of M, so the caller picks its
   * own fallback (a CPC's card amount first, cpc-card.md §5.3 step 3). Default true.
   */
  readonly fallbackToMinFee?: boolean;
}

export async function onlineStage(
  s: DecisionState,
  media: MediaFacts,
  entry: EntryFacts,
  bounds: OnlineBounds,
): Promise<Charge | undefined> {
  const { input, policy } = s;
  const { mCmp, minFee: mFig } = bounds;
  const net = s.tables.network;
  const entryId = net.nodeIds[entry.entryIdx]!;
  const exitId = net.nodeIds[s.exitIdx]!;
  const provinces = input.obu?.provinceCount ?? input.cpc?.provinceCount ?? 1;
  const cross = provinces > 1 || entryId.slice(5, 7) !== exitId.slice(5, 7);
  // A CPC's online fee is asked by the actual plate [S web]; the card's path list helps the fit.
  const gantries =
    input.gantries && input.gantries.length > 0
      ? input.gantries
      : (input.cpc?.pathGantries.map((gantry) => ({ gantry })) ?? []);
  const type: ExitFeeType = cross ? EXIT_FEE_TYPE.ONLINE_MINISTRY : EXIT_FEE_TYPE.ONLINE_PROVINCE;
  const failCode = cross ? SPECIAL.ONLINE_FEE_FAILED_NATIONAL : SPECIAL.ONLINE_FEE_FAILED_PROVINCE;
  const r: OnlineFeeResponse = s.onlineFee
    ? await callWithTimeout(
        s.onlineFee,
        {
          level: cross ? 'ministry' : 'province',
          entryStation: entryId,
          exitStation: exitId,
          vehicleClass: entry.feeClass,
          gantries,
          exitTime: input.exitTime,
          ...(input.plate !== undefined ? { plate: input.plate } : {}),
        },
        policy.onlineTimeoutMs,
      )
    : { ok: false, reason: '未配置在线计费服务' };
  const fallback = (
    rule: (typeof ONLINE_RULES)[number],
    text: string,
    codes: number[],
  ): Charge | undefined => {
    s.step(rule, text, codes);
    if (!mFig || bounds.fallbackToMinFee === false) return undefined;
    s.step('CHARGE.MIN_FEE', `按最小费额 ${mFig.fee} 计费（exitFeeType 6）`);
    return { figures: mFig, feeMileage: 0 };
  };
  if (!r.ok) {
    const codes = r.special !== undefined ? [failCode, r.special] : [failCode];
    return fallback('ONLINE.FAILED', `${cross ? '部中心' : '省中心'}在线计费失败：${r.reason}`, codes);
  }
  const amount = media.discount ? r.fee95 : r.fee;
  const figures: ChargeFigures = {
    payFee: r.fee,
    fee: amount,
    discountFee: (r.fee - amount) as Fen,
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
    s.step('ONLINE.ABOVE_BAND', `在线计费金额 ${amount} 大于最小费额1.5倍：需监控确认，拒绝则按最小费额`, [
      SPECIAL.ONLINE_FEE_ABOVE_BAND,
    ]);
    s.authorise('OVER_BAND');
    return { figures, feeMileage: r.mileageM, ifRefused: mFig };
  }
  s.step('ONLINE.OK', `${cross ? '部中心' : '省中心'}在线计费 ${amount}（exitFeeType ${type}）`);
  return { figures, feeMileage: r.mileageM };
}

/** The port, bounded by `ms`: a timeout or a thrown error answers `ok: false` with the reason. */
export async function callWithTimeout(
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
