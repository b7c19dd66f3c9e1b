/**
 * ETC discount per interval: round-half-up(fee × num / den) on non-negative integer fen.
 * The discounted total of a path is the SUM of the per-interval results (as OBU/gantry records do),
 * which may differ by a few fen from discounting the total (reference §5: 461 vs 464).
 */
export function halfUpRatio(fee: number, num: number, den: number): number {
  return Math.floor((2 * fee * num + den) / (2 * den));
}

export type YuanRounding = 'nearest' | 'down';

/**
 * A non-ETC amount in whole yuan (fen, multiple of 100): 'nearest' rounds half up, 'down' truncates
 * (business-rules.md §5: PROVFEE 4509 → FEE 4500; the mode is [I, unverified], a province parameter).
 */
export function roundToYuan(fen: number, mode: YuanRounding): number {
  return mode === 'nearest' ? Math.floor((fen + 50) / 100) * 100 : Math.floor(fen / 100) * 100;
}
