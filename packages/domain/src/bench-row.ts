/**
 * One row of `npm run bench`'s table, whichever part measured it. Test tooling, not a domain fact: it lives
 * here because every package and app already depends on this one, and it is reached only through the
 * `@tollpad/domain/bench` subpath.
 */
export interface BenchRow {
  name: string;
  value: number;
  unit: string;
  /** The goal in words, with its mark ([P] proposal, or the issue that set it); no goal: information. */
  goal?: string;
  /** What the value is compared with in the same run (e.g. `SQLite 2.31`). */
  baseline?: string;
  /** value / baseline. */
  ratio?: number;
  /**
   * Of the requests the row timed, how many answered what was asked (e.g. a fee found): a row over
   * requests that can fail states it, and reports no value (NaN) when too few succeeded.
   */
  answered?: { ok: number; of: number };
  /** Met the goal; absent when the row has no goal. */
  pass?: boolean;
}
