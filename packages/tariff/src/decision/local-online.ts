import { type FitOptions, fitPath } from '../fit';
import type { MinFeeTables } from '../min-fee';
import type { OnlineFeePort } from './types';

/** An OnlineFeePort backed by local path fitting (the reference centre, demo and tests use it). */
export function localOnlineFeePort(tables: MinFeeTables, opts: FitOptions = {}): OnlineFeePort {
  return async (req) => {
    const r = fitPath(tables, req, opts);
    return r.ok
      ? { ok: true, fee: r.fee, fee95: r.fee95, mileageM: r.mileageM }
      : { ok: false, special: r.special, reason: r.reason };
  };
}
