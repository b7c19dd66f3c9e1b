/** Input stage: refuses what the collector must fix (unknown exit station or class, invalid times). */
import { err, ok, type Result } from '@tollpad/domain';
import { classIndex } from '../../classes';
import { type MinFeeTables, stationIndexOf } from '../../min-fee';
import type { DecisionState } from '../state';
import { DecisionError, type ExitFeeInput } from '../types';

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
