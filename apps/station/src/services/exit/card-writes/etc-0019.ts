import type { ExitCardWrite, ExitTypes } from '../exit-parts';

/**
 * The `etc-0019` write: the exit information goes into the card's 0019 file inside the composite purchase
 * itself (UPDATE CAPP DATA CACHE before DEBIT), so the payment's TAC covers it and the station has nothing
 * left to write or to note.
 */
export function etc0019Write<T extends ExitTypes>(): ExitCardWrite<T> {
  return { id: 'etc-0019', timing: 'in-payment', specials: () => [] };
}
