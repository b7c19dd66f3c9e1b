import type { DebitResult, ExitTxn } from '../api/types';

/** Where the exit screen is: idle between taps, else the one step it is running. */
export type ExitPhase =
  | 'idle'
  | 'reading'
  | 'uploading'
  | 'pricing'
  | 'waiting-auth'
  | 'debiting'
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
  result: DebitResult | null,
): ExitAllowed {
  const busy = phase !== 'idle' && phase !== 'done';
  const authOk = txn?.auth.status !== 'required' && txn?.auth.status !== 'refused';
  const fee = txn?.fee ?? null;
  return {
    busy,
    locked: busy || !!result,
    canPrice: !!txn && imageSubmitted && phase === 'idle' && !result,
    canSubmit: !!fee && fee.etcPayable && authOk && phase === 'idle' && !result,
    writing: phase === 'debiting' || phase === 'recovering' || phase === 'settling',
  };
}
