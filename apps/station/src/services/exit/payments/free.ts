import { hash } from 'node:crypto';
import { PAY_TYPE } from '@tollpad/domain';
import type { CpcCommit } from '@tollpad/station-api';
import { StationError } from '../../../errors';
import type { DebitBase } from '../../json-columns';
import type { ExitPayment, ExitTypes } from '../exit-parts';

/** debit_json of a free exit: nothing is taken. */
export interface FreeDebit extends DebitBase {
  payment: 'free';
}

export interface FreeIntent {
  payment: 'free';
  amount: 0;
}

export type FreeTypes = ExitTypes & {
  intent: FreeIntent;
  debit: FreeDebit;
  proof: CpcCommit;
  notDebited: object;
};

/**
 * A free exit (fee 0: a passed 绿通查验, a free kind, holiday free) takes no payment: announced as `free`, it is
 * refused unless the exit's fee is 0, and commits on the card write alone. The record still needs a national
 * payType and payments.md names none for "nothing paid": [P] 1 (现金) with fee 0 — it adds 0 to the shift's cash, and
 * the record's fee 0, payFee, discountFee and specials (128 绿通, 116 节假日…) say why nothing was paid.
 */
export function freePayment(): ExitPayment<FreeTypes> {
  return {
    id: 'free',

    payable: (_read, amount) =>
      amount === 0
        ? { payable: true, reason: null, specials: [] }
        : { payable: false, reason: '应收金额不为0，不能免费放行', specials: [] },

    async announce(t, intent, { now, passId }) {
      if (t.amount !== 0 || intent.amount !== 0)
        throw new StationError('STN_ERR_EXIT_AMOUNT_MISMATCH', `free exit of fee ${t.amount}`);
      const at = now.toISOString();
      return { payment: 'free', amount: 0, exTime: at, passId: passId(), announcedAt: at };
    },

    reannounce: () => 'same',

    // Nothing was paid: the commit only has to name the announced trade ID (checked before this).
    verifyProof() {},

    digest(txnId, c) {
      const proof = [
        'free',
        txnId,
        c.tradeId,
        c.cardWrite,
        c.reason ?? null,
        ...(c.cardError ? [c.cardError] : []),
      ];
      return hash('sha256', JSON.stringify(proof), 'hex');
    },

    recordFields: () => ({ payType: PAY_TYPE.CASH }),

    verifyNotDebited() {},
  };
}
