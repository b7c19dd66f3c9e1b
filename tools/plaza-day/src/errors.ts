/**
 * Typed errors of the plaza-day driver: a stable code for scripts and a Chinese message for the person at
 * the terminal (the run is started by engineers and trainers alike).
 */
export type PlazaDayErrorCode =
  | 'PD_ERR_OPTION_UNKNOWN'
  | 'PD_ERR_OPTION_VALUE'
  | 'PD_ERR_OPTION_RANGE'
  | 'PD_ERR_PROCESS_START'
  | 'PD_ERR_SETUP'
  | 'PD_ERR_INTERRUPTED';

export class PlazaDayError extends Error {
  constructor(
    readonly code: PlazaDayErrorCode,
    readonly field: string,
    /** Chinese, for the operator. */
    readonly messageZh: string,
    detail?: string,
  ) {
    super(`${code} ${field}: ${messageZh}${detail ? ` (${detail})` : ''}`);
    this.name = 'PlazaDayError';
  }
}
