/**
 * Entry stage: the entry station (the card's, the collector's choice, or none), the travel time, the entry
 * class and status flag against the exit's, and the U-turn.
 */
import {
  err,
  ok,
  type Result,
  SPECIAL,
  VEHICLE_KIND,
  VEHICLE_STATUS_FLAG,
  type VehicleClass,
} from '@tollpad/domain';
import { CLASS_CODES, classIndex } from '../../classes';
import { minFeeAt, stationIndexOf } from '../../min-fee';
import type { DecisionState } from '../state';
import { DecisionError } from '../types';

export const ENTRY_RULES = [
  'ENTRY.INVALID',
  'ENTRY.SELECTED',
  'ENTRY.FARTHEST',
  'ENTRY.TIME_ABNORMAL',
  'ENTRY.TIMEOUT',
  'ENTRY.CLASS_MISMATCH',
  'ENTRY.CLASS_HIGHER',
  'ENTRY.STATUS_FLAG',
  'ENTRY.U_TURN',
] as const;

export interface EntryFacts {
  /** Index of the entry station charged from; -1 when none (no entry, farthest-station fee). */
  readonly entryIdx: number;
  /** The card has no usable entry information. */
  readonly noEntry: boolean;
  /** The class the fee uses (the exit class, or the higher entry class by policy). */
  readonly feeClass: VehicleClass;
  readonly uTurn: boolean;
}

export function entryStage(s: DecisionState): Result<EntryFacts, DecisionError> {
  const { input, policy, tables, exitIdx } = s;
  const net = tables.network;
  const entry = input.card.entry;
  let entryIdx = entry ? stationIndexOf(net, entry.station) : -1;
  let noEntry = false;
  if (!entry || entryIdx < 0) {
    noEntry = true;
    s.step('ENTRY.INVALID', entry ? `入口站 ${entry.station} 不在费率表中` : '卡片无有效入口信息', [
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
      s.step('ENTRY.SELECTED', `收费员选择入口站 ${net.nodeIds[entryIdx]}，按最小费额计费`);
    } else if (policy.noEntryFallback === 'require-selection') {
      return err(new DecisionError('ENTRY_REQUIRED', 'selectedEntryStation', '无入口信息，请选择入口站'));
    } else {
      s.step('ENTRY.FARTHEST', '无入口信息：按省内最远站点（最高最小费额）计费');
    }
    s.authorise('NO_ENTRY');
  }
  let feeClass: VehicleClass = input.vehicleClass;
  if (entry && !noEntry) {
    const hours = (input.exitTime.getTime() - entry.time.getTime()) / 3_600_000;
    if (!(hours >= 0)) {
      s.step('ENTRY.TIME_ABNORMAL', '入口时间晚于出口时间', [SPECIAL.ENTRY_TIME_ABNORMAL]);
      s.authorise('ENTRY_TIME');
    } else if (hours > policy.timeoutHours) {
      s.step('ENTRY.TIMEOUT', `行驶${hours.toFixed(1)}小时，超过${policy.timeoutHours}小时`, [
        SPECIAL.TIMEOUT,
      ]);
      s.authorise('TIMEOUT');
    }
    if (entry.vehicleClass !== input.vehicleClass) {
      s.step('ENTRY.CLASS_MISMATCH', `入口车型 ${entry.vehicleClass} ≠ 出口车型 ${input.vehicleClass}`, [
        SPECIAL.ENTRY_EXIT_CLASS,
      ]);
      s.authorise('CLASS_MISMATCH');
      const ei = classIndex(entry.vehicleClass);
      if (policy.classMismatchFeeClass === 'higher' && ei >= 0) {
        const a = minFeeAt(tables, entryIdx, exitIdx, classIndex(input.vehicleClass));
        const b = minFeeAt(tables, entryIdx, exitIdx, ei);
        if (b.reachable && (!a.reachable || b.fee > a.fee)) {
          feeClass = CLASS_CODES[ei]!;
          s.step('ENTRY.CLASS_HIGHER', `按较高的入口车型 ${feeClass} 计费`);
        }
      }
    }
  }
  if (entry && !noEntry && statusFlagMismatch(entry.statusFlag, input.vehicleKind)) {
    s.step(
      'ENTRY.STATUS_FLAG',
      `入口车辆状态标识 0x${(entry.statusFlag ?? VEHICLE_STATUS_FLAG.NONE).toString(16).padStart(2, '0')} 与出口车种 ${input.vehicleKind} 不符`,
      [SPECIAL.ENTRY_EXIT_STATUS_FLAG],
    );
    s.authorise('STATUS_FLAG');
  }
  const uTurn = !noEntry && entryIdx === exitIdx;
  if (uTurn) {
    s.step('ENTRY.U_TURN', '入口站与出口站相同（U型车）', [SPECIAL.U_TURN]);
    s.authorise('U_TURN');
  }
  return ok({ entryIdx, noEntry, feeClass, uTurn });
}

/** 车种 → the status flag its entry should carry. */
const KIND_FLAG: ReadonlyMap<number, number> = new Map([
  [VEHICLE_KIND.OVERSIZE, VEHICLE_STATUS_FLAG.OVERSIZE],
  [VEHICLE_KIND.GREEN_CHANNEL, VEHICLE_STATUS_FLAG.GREEN_CHANNEL],
  [VEHICLE_KIND.COMBINE_HARVESTER, VEHICLE_STATUS_FLAG.COMBINE_HARVESTER],
  [VEHICLE_KIND.J1_CONTAINER, VEHICLE_STATUS_FLAG.CONTAINER],
  [VEHICLE_KIND.J2_CONTAINER, VEHICLE_STATUS_FLAG.CONTAINER],
]);

/** Special 53: a kind that needs a flag without it, or a kind-specific flag on another kind. */
function statusFlagMismatch(flag: number | undefined, kind: number): boolean {
  if (flag === undefined) return false;
  const want = KIND_FLAG.get(kind);
  if (want !== undefined) return flag !== want;
  return [...KIND_FLAG.values()].includes(flag);
}
