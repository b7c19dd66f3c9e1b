import { hash } from 'node:crypto';
import { PAY_TYPE } from '@tollpad/domain';
import type { CpcCommit } from '@tollpad/station-api';
import { StationError } from '../../../errors';
import type { DebitBase } from '../../json-columns';
import type { ExitPayment, ExitTypes } from '../exit-parts';

/** debit_json of a cash exit: the amount due, what the driver handed over and the change given. */
export interface CashDebit extends DebitBase {
  payment: 'cash';
  /** Absent in rows announced before tendered amounts (the exact amount). */
  tendered?: number;
  change?: number;
}

/** The cash body: `tendered` absent is the old confirmation of the exact amount (kept for older handhelds). */
export interface CashIntent {
  payment: 'cash';
  amount: number;
  tendered?: number;
}

export type CashTypes = ExitTypes & {
  intent: CashIntent;
  debit: CashDebit;
  proof: CpcCommit;
  notDebited: object;
};

/**
 * Cash (payments.md §6): the collector takes the amount due and gives change; the station computes the change
 * (`tendered − amount`) and refuses a tendered amount below the amount due (STN_ERR_PAY_CASH_SHORT), so the
 * shift's cash is Σ amounts, and the change is on the record of the exit. No platform to ask and no proof
 * beyond the collector's word: the commit only has to name the announced trade ID. National payType 1 (现金).
 */
export function cashPayment(): ExitPayment<CashTypes> {
  return {
    id: 'cash',

    payable: () => ({ payable: true, reason: null, specials: [] }),

    async announce(t, intent, { now, passId }) {
      if (intent.amount !== t.amount)
        throw new StationError('STN_ERR_EXIT_AMOUNT_MISMATCH', `${intent.amount} ≠ ${t.amount}`);
      const tendered = intent.tendered ?? intent.amount;
      if (tendered < intent.amount)
        throw new StationError('STN_ERR_PAY_CASH_SHORT', `${tendered} < ${intent.amount}`);
      const at = now.toISOString();
      return {
        payment: 'cash',
        amount: intent.amount,
        tendered,
        change: tendered - intent.amount,
        exTime: at,
        passId: passId(),
        announcedAt: at,
      };
    },

    reannounce(pending, intent) {
      if (pending.amount !== intent.amount)
        throw new StationError('STN_ERR_EXIT_BAD_STATE', 'a different payment is already pending');
      return 'same';
    },

    // The collector's confirmation is the proof: nothing to hold it against but the trade ID (checked by
    // the commit before this is asked).
    verifyProof() {},

    digest(txnId, c) {
      // The card's code joins the digest only when sent, so records committed before it replay unchanged.
      const proof = [txnId, c.tradeId, c.cardWrite, c.reason ?? null, ...(c.cardError ? [c.cardError] : [])];
      return hash('sha256', JSON.stringify(proof), 'hex');
    },

    recordFields: () => ({ payType: PAY_TYPE.CASH }),

    // No cash was taken: the collector says so; nothing on a card can contradict it.
    verifyNotDebited() {},
  };
}
