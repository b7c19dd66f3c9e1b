import { type FitOptions, fitPath } from '../fit';
import type { MinFeeTables } from '../min-fee';
import type { OnlineFeePort } from './types';

/** An OnlineFeePort backed by local path fitting (the reference centre, demo and tests use it). */
export function localOnlineFeePort(tables: MinFeeTables, opts: FitOptions = {}): OnlineFeePort {
  return async (req) => {
    // Fitting needs an entry: a request by plate alone is for a centre that holds the plate's passages.
    const { entryStation } = req;
    if (entryStation === undefined) return { ok: false, reason: '无入口站：本地拟合无法按车牌推断入口' };
    const r = fitPath(tables, { ...req, entryStation }, opts);
    return r.ok
      ? { ok: true, fee: r.fee, fee95: r.fee95, mileageM: r.mileageM }
      : { ok: false, special: r.special, reason: r.reason };
  };
}
