/** Input stage: refuses what the collector must fix (unknown exit station or class, invalid times). */
import { CPC_MAX_PATH_GANTRIES, CPC_MAX_PROVINCES, err, ok, type Result } from '@tollpad/domain';
import { classIndex } from '../../classes';
import { type MinFeeTables, stationIndexOf } from '../../min-fee';
import type { DecisionState } from '../state';
import { type CpcFeeFacts, DecisionError, type ExitFeeInput, type NoCardReason } from '../types';

export const INPUT_RULES = ['INPUT'] as const;

/** The exit station's index in the network, or the input error. */
export function checkInput(input: ExitFeeInput, tables: MinFeeTables): Result<number, DecisionError> {
  const exitIdx = stationIndexOf(tables.network, input.exitStation);
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
  if (input.cpc !== undefined) {
    if (input.obu !== null) {
      return err(new DecisionError('INPUT_INVALID', 'cpc', 'CPC出口不应同时带有OBU数据'));
    }
    const bad = checkCpc(input.cpc);
    if (bad) return err(bad);
  }
  if (input.noCard !== undefined) {
    const bad = checkNoCard(input);
    if (bad) return err(bad);
  }
  if (classIndex(input.vehicleClass) < 0) {
    return err(new DecisionError('CLASS_UNKNOWN', 'vehicleClass', `无效车型 ${input.vehicleClass}`));
  }
  return ok(exitIdx);
}

export function inputStage(s: DecisionState): void {
  const { input, tables } = s;
  s.step(
    'INPUT',
    `出口站 ${tables.network.nodeIds[s.exitIdx]}，车型 ${input.vehicleClass}，车种 ${input.vehicleKind}，费率版本 ${tables.version}`,
  );
}

/** Card bounds (cpc-card.md §2.5–2.6, the domain's CPC_MAX_*): fee blocks, path gantries, 3-byte amounts, 1-byte counts. */
const U24 = 0xffffff;
const HEX6 = /^[0-9A-Fa-f]{6}$/;

const inRange = (v: number, max: number): boolean => Number.isSafeInteger(v) && v >= 0 && v <= max;
const isDate = (d: unknown): d is Date => d instanceof Date && !Number.isNaN(d.getTime());

/**
 * Shape and range of the CPC facts: what no decoded card can hold is an input error. What a card can
 * hold but should not (0 or > 22 provinces, an empty block, times out of order) is left to the CPC stage,
 * which names the rule and its special code.
 */
export function checkCpc(c: CpcFeeFacts): DecisionError | undefined {
  const bad = (field: string, reason: string) => new DecisionError('INPUT_INVALID', `cpc.${field}`, reason);
  if (!inRange(c.provinceCount, 0xff)) return bad('provinceCount', '通行省份个数应为0–255的整数');
  if (!Array.isArray(c.blocks) || c.blocks.length > CPC_MAX_PROVINCES) {
    return bad('blocks', `计费信息块应为数组，最多${CPC_MAX_PROVINCES}个`);
  }
  if (!Array.isArray(c.pathGantries) || c.pathGantries.length > CPC_MAX_PATH_GANTRIES) {
    return bad('pathGantries', `过站门架应为数组，最多${CPC_MAX_PATH_GANTRIES}个`);
  }
  for (const [i, g] of c.pathGantries.entries()) {
    if (typeof g !== 'string' || !HEX6.test(g)) return bad(`pathGantries[${i}]`, '门架HEX应为6位十六进制');
  }
  if (c.entryTime !== null && !isDate(c.entryTime)) return bad('entryTime', '入口时间无效');
  for (const [i, b] of c.blocks.entries()) {
    const f = (name: string) => `blocks[${i}].${name}`;
    if (!inRange(b.province, 0xff)) return bad(f('province'), '省份编码应为0–255的整数');
    if (!inRange(b.gantryCount, 0xff)) return bad(f('gantryCount'), '门架个数应为0–255的整数');
    if (!inRange(b.fee, U24)) return bad(f('fee'), '累计金额应为0–16777215分的整数');
    if (!inRange(b.mileageM, U24)) return bad(f('mileageM'), '累计里程应为0–16777215米的整数');
    if (typeof b.entryGantry !== 'string' || !HEX6.test(b.entryGantry)) {
      return bad(f('entryGantry'), '门架HEX应为6位十六进制');
    }
    if (typeof b.latestGantry !== 'string' || !HEX6.test(b.latestGantry)) {
      return bad(f('latestGantry'), '门架HEX应为6位十六进制');
    }
    if (!isDate(b.entryTime)) return bad(f('entryTime'), '入口门架时间无效');
    if (!isDate(b.latestTime)) return bad(f('latestTime'), '最新门架时间无效');
    if (typeof b.fitFailed !== 'boolean' || typeof b.empty !== 'boolean') {
      return bad(f('fitFailed'), '拟合标志与空块标志应为布尔值');
    }
  }
  return undefined;
}

const NO_CARD_REASONS: readonly NoCardReason[] = ['no-card', 'lost', 'damaged'];

/** A no-card exit carries no card facts, a known reason, and a stated entry of bounded size (or a refusal). */
function checkNoCard(input: ExitFeeInput): DecisionError | undefined {
  const nc = input.noCard!;
  const bad = (field: string, reason: string) =>
    new DecisionError('INPUT_INVALID', `noCard.${field}`, reason);
  if (input.obu !== null || input.cpc !== undefined || input.card.entry !== null) {
    return new DecisionError('INPUT_INVALID', 'noCard', '无卡出口不应带有卡内入口、OBU或CPC数据');
  }
  if (!NO_CARD_REASONS.includes(nc.reason)) return bad('reason', '原因应为 no-card、lost 或 damaged');
  if (nc.statedEntry !== undefined && (typeof nc.statedEntry !== 'string' || nc.statedEntry.length > 32)) {
    return bad('statedEntry', '所述入口站应为不超过32个字符的站编号或HEX');
  }
  if (nc.refused !== undefined && typeof nc.refused !== 'boolean')
    return bad('refused', '拒绝告知应为布尔值');
  return undefined;
}
