import type { ExitTxn } from '../api/types';

/** Where the exit screen is: idle between taps, else the one step it is running. */
export type ExitPhase =
  | 'idle'
  | 'reading'
  | 'uploading'
  | 'pricing'
  | 'waiting-auth'
  | 'debiting'
  /** CPC: the payment intent is told to the station (the collector confirmed the cash). */
  | 'paying'
  /** CPC: 写卡/关闭CPC, the exit write and its read-back. */
  | 'writing'
  | 'torn'
  | 'recovering'
  | 'settling'
  | 'done';

/** What the screen lets the collector do, derived from the phase and the transaction. */
export interface ExitAllowed {
  /** A step is running: inputs are locked and the way back is closed. */
  busy: boolean;
  /** Inputs are locked (a step runs, or the vehicle is done). */
  locked: boolean;
  canPrice: boolean;
  canSubmit: boolean;
  /** The card write is under way: keep the handheld by the card. */
  writing: boolean;
}

export function exitAllowed(
  phase: ExitPhase,
  txn: ExitTxn | null,
  imageSubmitted: boolean,
  /** The medium's result once the vehicle is done (the ETC debit, the CPC exit), else null. */
  result: object | null,
): ExitAllowed {
  const busy = phase !== 'idle' && phase !== 'done';
  const authOk = txn?.auth.status !== 'required' && txn?.auth.status !== 'refused';
  const fee = txn?.fee ?? null;
  // The payment was announced (debit_pending): what the fee was computed on can no longer change, and only
  // the medium's own finish (recovery, the CPC write) goes on.
  const paid = txn?.state === 'debit_pending' || txn?.state === 'committed';
  return {
    busy,
    locked: busy || !!result || paid,
    canPrice: !!txn && imageSubmitted && phase === 'idle' && !result && !paid,
    canSubmit: !!fee && fee.payable && authOk && phase === 'idle' && !result && !paid,
    writing:
      phase === 'debiting' ||
      phase === 'paying' ||
      phase === 'writing' ||
      phase === 'recovering' ||
      phase === 'settling',
  };
}
