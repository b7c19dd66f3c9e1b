import { hash } from 'node:crypto';
import { PAY_TYPE } from '@tollpad/domain';
import type { CpcCommit, CpcPaymentIntent } from '@tollpad/station-api';
import { StationError } from '../../../errors';
import type { DebitBase } from '../../json-columns';
import type { ExitPayment, ExitTypes } from '../exit-parts';

/** debit_json of a cash exit: the amount due the collector takes (non-ETC fees are whole yuan). */
export interface CashDebit extends DebitBase {
  payment: 'cash';
}

type CashTypes = ExitTypes & {
  intent: CpcPaymentIntent;
  debit: CashDebit;
  proof: CpcCommit;
  notDebited: object;
};

/**
 * The interim `cash-confirmed` payment (until the payments issue): the collector takes the amount due in
 * cash and confirms it. There is no platform to ask and no proof beyond the collector's word, so the
 * intent fixes the amount and the exit time, and the commit only has to name the announced trade ID.
 * payments.md §6 [P]: the shift's cash is Σ due; the record carries national payType 1 (现金).
 */
export function cashConfirmedPayment<T extends CashTypes>(): ExitPayment<T> {
  return {
    id: 'cash-confirmed',

    payable: () => ({ payable: true, reason: null, specials: [] }),

    async announce(t, intent, { now, passId }) {
      // Until payments/qr.ts takes QR, a QR body must not be taken for cash the collector confirmed.
      if (intent.payment !== 'cash') throw new StationError('STN_ERR_PAY_UNAVAILABLE', intent.payment);
      if (intent.tendered !== undefined && intent.tendered < intent.amount)
        throw new StationError('STN_ERR_PAY_CASH_SHORT', `${intent.tendered} < ${intent.amount}`);
      if (intent.amount !== t.amount)
        throw new StationError('STN_ERR_EXIT_AMOUNT_MISMATCH', `${intent.amount} ≠ ${t.amount}`);
      const at = now.toISOString();
      return { payment: 'cash', amount: intent.amount, exTime: at, passId: passId(), announcedAt: at };
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
