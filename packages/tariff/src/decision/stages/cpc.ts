/**
 * CPC stage: whether the card amount A (Σ of the CPC's per-province fee blocks) can be charged
 * (cpc-card.md §5.2). Every plausibility rule has its own rule ID and special code; all of them run, so
 * the trace names every reason a card fails. It sits where an ETC exit takes its accumulated amount.
 */
// EF02 byte 0 may say 1–CPC_MAX_PROVINCES (22) provinces: EF04 holds at most 22 blocks (cpc-card.md §2.6).
import { beijingDate, CPC_MAX_PROVINCES, SPECIAL } from '@tollpad/domain';
import { minFeeAt } from '../../min-fee';
import type { DecisionState } from '../state';
import type { CpcFeeFacts } from '../types';
import type { Accumulated } from './accumulated';
import type { EntryFacts } from './entry';
import type { MinFeeFacts } from './min-fee';

export const CPC_RULES = [
  'CPC.PROVINCE_COUNT',
  'CPC.BLOCK_EMPTY',
  'CPC.FIT_FAILED',
  'CPC.NOT_BORDER',
  'CPC.TIME_ORDER',
  'CPC.ENTRY_AGE',
  'CPC.EXIT_SEGMENT',
  'CPC.AMOUNT_ABOVE',
  'CPC.AMOUNT_BELOW',
  'CPC.PLAUSIBLE',
] as const;

/**
 * Specials for the rules the ministry table has no exact code for [I]: a path or fee record that is
 * incomplete → 18 累计计费里程异常 (OBU/CPC); a failed fitting → 68 计费异常或路径拟合失败; an entry too
 * old → 58 行驶超时. The band's 29 / 30 are sourced.
 */
const CODE = {
  incomplete: SPECIAL.MILEAGE_ABNORMAL,
  fitFailed: SPECIAL.FEE_FIT_FAILED,
  tooOld: SPECIAL.TIMEOUT,
  above: SPECIAL.CARD_AMOUNT_ABOVE_BAND,
  below: SPECIAL.CARD_AMOUNT_BELOW_MIN,
} as const;

export interface CpcCheck {
  /** A = Σ block fees (+ the exit segment where the policy adds it), fen. */
  readonly amount: number;
  /** The fee record is whole: province count, no empty block, fit flags, border gantries, times (§5.2 rule 1). */
  readonly intact: boolean;
  /** The entry is within the age limit (§5.2 rule 4). */
  readonly ageOk: boolean;
  /** M ≤ A ≤ M × cpcBandUpper (§5.2 rules 2–3); false when M is unreachable. */
  readonly inBand: boolean;
  /** All rules hold: charge A, exitFeeType 3. */
  readonly plausible: boolean;
  /** A as an accumulated amount (source 'cpc'), for the free-passage and U-turn stages. */
  readonly acc: Accumulated;
}

export function cpcStage(
  s: DecisionState,
  cpc: CpcFeeFacts,
  entry: EntryFacts,
  minFee: MinFeeFacts,
): CpcCheck {
  const intact = [
    provinceCountRule(s, cpc),
    emptyBlockRule(s, cpc),
    fitRule(s, cpc),
    borderRule(s, cpc),
    timeOrderRule(s, cpc),
  ].every(Boolean);
  const ageOk = entryAgeRule(s, cpc);
  let amount = cpc.blocks.reduce((sum, b) => sum + (b.empty ? 0 : b.fee), 0);
  if (s.policy.cpcAddExitSegment) amount += exitSegment(s, cpc, minFee.ci);
  const inBand = bandRule(s, amount, entry, minFee);
  const plausible = intact && ageOk && inBand;
  if (plausible) s.step('CPC.PLAUSIBLE', `CPC卡内计费信息完整可信：卡内累计金额 ${amount}`);
  return { amount, intact, ageOk, inBand, plausible, acc: { amount, payFee: amount, source: 'cpc' } };
}

/** EF02's 通行省份个数 is 1–22 and equals the blocks read. */
function provinceCountRule(s: DecisionState, cpc: CpcFeeFacts): boolean {
  const n = cpc.provinceCount;
  if (n >= 1 && n <= CPC_MAX_PROVINCES && n === cpc.blocks.length) return true;
  s.step(
    'CPC.PROVINCE_COUNT',
    n < 1 || n > CPC_MAX_PROVINCES
      ? `通行省份个数 ${n} 不在1–${CPC_MAX_PROVINCES}之间`
      : `通行省份个数 ${n} 与计费信息块数 ${cpc.blocks.length} 不符`,
    [CODE.incomplete],
  );
  return false;
}

/** No block read may be empty (all 00 or all FF): a province's record is missing, the path is incomplete. */
function emptyBlockRule(s: DecisionState, cpc: CpcFeeFacts): boolean {
  const empty = indices(cpc, (b) => b.empty);
  if (empty.length === 0) return true;
  s.step('CPC.BLOCK_EMPTY', `第 ${empty.join('、')} 个计费信息块为空：路径不完整`, [CODE.incomplete]);
  return false;
}

/** Every block's latest-gantry 拟合 flag is 00. */
function fitRule(s: DecisionState, cpc: CpcFeeFacts): boolean {
  const failed = indices(cpc, (b) => !b.empty && b.fitFailed);
  if (failed.length === 0) return true;
  s.step('CPC.FIT_FAILED', `第 ${failed.join('、')} 个计费信息块拟合标志异常`, [CODE.fitFailed]);
  return false;
}

/** Every block but the last ends at a province-border gantry (tariff `border` marks + policy list). */
function borderRule(s: DecisionState, cpc: CpcFeeFacts): boolean {
  const own = s.tables.network.borderGantryHex;
  const extra = new Set(s.policy.cpcBorderGantries.map((g) => g.toUpperCase()));
  const notBorder = indices(cpc, (b, i) => {
    if (b.empty || i === cpc.blocks.length - 1) return false;
    const g = b.latestGantry.toUpperCase();
    return !own.has(g) && !extra.has(g);
  });
  if (notBorder.length === 0) return true;
  s.step('CPC.NOT_BORDER', `第 ${notBorder.join('、')} 个省份的最新门架不是省界门架`, [CODE.incomplete]);
  return false;
}

/** Each block's entry time ≤ its latest time, and each block starts no earlier than the one before ended. */
function timeOrderRule(s: DecisionState, cpc: CpcFeeFacts): boolean {
  const blocks = cpc.blocks.filter((b) => !b.empty);
  const bad: number[] = [];
  for (const [i, b] of blocks.entries()) {
    const prev = blocks[i - 1];
    const inside = b.entryTime.getTime() <= b.latestTime.getTime();
    const after = !prev || prev.latestTime.getTime() <= b.entryTime.getTime();
    if (!inside || !after) bad.push(cpc.blocks.indexOf(b) + 1);
  }
  if (bad.length === 0) return true;
  s.step('CPC.TIME_ORDER', `第 ${bad.join('、')} 个计费信息块的门架时间顺序异常`, [CODE.incomplete]);
  return false;
}

const DAY_MS = 86_400_000;

/** The entry is not after the exit and at most cpcEntryMaxDays old (Beijing dates, or elapsed hours). */
function entryAgeRule(s: DecisionState, cpc: CpcFeeFacts): boolean {
  const { policy, input } = s;
  const entryTime = cpc.entryTime ?? input.card.entry?.time ?? null;
  const max = policy.cpcEntryMaxDays;
  if (entryTime === null) {
    s.step('CPC.ENTRY_AGE', '卡内无入口时间：无法判断是否超过有效天数', [SPECIAL.CARD_ENTRY_INVALID]);
    return false;
  }
  const ms = input.exitTime.getTime() - entryTime.getTime();
  let ok: boolean;
  let text: string;
  if (policy.cpcEntryAgeMethod === 'elapsed-hours') {
    const hours = ms / 3_600_000;
    ok = ms >= 0 && hours <= max * 24;
    text = `入口至今 ${hours.toFixed(1)} 小时，超过 ${max * 24} 小时`;
  } else {
    const days = (dayNumber(input.exitTime) - dayNumber(entryTime)) | 0;
    ok = ms >= 0 && days <= max;
    text = `入口日期 ${beijingDate(entryTime)} 至出口日期 ${beijingDate(input.exitTime)} 超过 ${max} 个自然日`;
  }
  if (ok) return true;
  s.step('CPC.ENTRY_AGE', ms < 0 ? '入口时间晚于出口时间' : text, [CODE.tooOld]);
  return false;
}

/** Days since 1970-01-01 of the Beijing calendar date of a time. */
function dayNumber(d: Date): number {
  return Date.parse(`${beijingDate(d)}T00:00:00Z`) / DAY_MS;
}

/** M ≤ A ≤ M × cpcBandUpper, with the plain M (a CPC has no ETC discount). */
function bandRule(s: DecisionState, amount: number, entry: EntryFacts, minFee: MinFeeFacts): boolean {
  // No entry or a U-turn: M is not the trip's minimum fee, so the band says nothing; the charge stage decides.
  if (!minFee.m.reachable || entry.noEntry || entry.uTurn) return false;
  const m = minFee.mCmp;
  const [bn, bd] = s.policy.cpcBandUpper;
  if (amount < m) {
    s.step('CPC.AMOUNT_BELOW', `卡内累计金额 ${amount} 小于最小费额 ${m}`, [CODE.below]);
    return false;
  }
  if (amount * bd > m * bn) {
    s.step('CPC.AMOUNT_ABOVE', `卡内累计金额 ${amount} 大于最小费额 ${m}×${bn}/${bd}`, [CODE.above]);
    return false;
  }
  return true;
}

/**
 * The exit's own last segment [I]: the minimum fee from the end of the last gantry's interval to the exit
 * station, when that gantry is in this province's tariff. 0 otherwise.
 */
function exitSegment(s: DecisionState, cpc: CpcFeeFacts, ci: number): number {
  const last = cpc.blocks.at(-1);
  const net = s.tables.network;
  const gi = last && !last.empty ? net.gantryByHex.get(last.latestGantry.toUpperCase()) : undefined;
  const edge = gi === undefined ? undefined : net.gantryEdge[gi];
  const from = edge === undefined ? undefined : net.edgeTo[edge];
  const seg = from === undefined ? undefined : minFeeAt(s.tables, from, s.exitIdx, ci);
  if (!seg?.reachable) {
    s.step('CPC.EXIT_SEGMENT', '最新门架不在本省费率表中或至出口不可达：不加出口段金额');
    return 0;
  }
  s.step('CPC.EXIT_SEGMENT', `加出口段金额 ${seg.fee}（最新门架 → 出口站）`);
  return seg.fee;
}

/** 1-based numbers of the blocks matching a test. */
function indices(cpc: CpcFeeFacts, test: (b: CpcFeeFacts['blocks'][number], i: number) => boolean): number[] {
  const out: number[] = [];
  for (const [i, b] of cpc.blocks.entries()) if (test(b, i)) out.push(i + 1);
  return out;
}
