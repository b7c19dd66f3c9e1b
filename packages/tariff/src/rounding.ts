/**
 * ETC discount per interval: round-half-up(fee × num / den) on non-negative integer fen.
 * The discounted total of a path is the SUM of the per-interval results (as OBU/gantry records do),
 * which may differ by a few fen from discounting the total (reference §5: 461 vs 464).
 */
export function halfUpRatio(fee: number, num: number, den: number): number {
  return Math.floor((2 * fee * num + den) / (2 * den));
}
