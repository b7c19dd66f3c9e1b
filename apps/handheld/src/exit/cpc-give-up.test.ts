import type { Recovery } from '@tollpad/station-api';
import { describe, expect, it } from 'vitest';
import type { ExitTxn } from '../api/types';
import { HandheldError } from '../errors';
import { MemoryJournal } from '../journal/idb-journal';
import type { PendingCpcWrite } from '../journal/pending-cpc';
import { GIVE_UP_REASON, giveUpCpcExit } from './cpc-give-up';
import { pricedTxn, TEST_TRADE_ID } from './testing';

const ENTRY: PendingCpcWrite = {
  txnId: 'txn-1',
  laneId: 'G90013700100202010010',
  cpcId: '6201012345678901',
  amount: 7_000,
  tradeId: TEST_TRADE_ID,
  method: 'qr',
  updatedAt: '2026-11-23T08:00:00.000Z',
};

/** A station holding one CPC exit in `state`; `refuse` makes its recover answer that station code. */
function station(state: ExitTxn['state'], refuse?: string) {
  let t = pricedTxn({ medium: 'cpc', state, tradeId: state === 'debit_pending' ? TEST_TRADE_ID : null });
  const heard: string[] = [];
  return {
    heard,
    client: {
      async getExit() {
        heard.push('get');
        return t;
      },
      async recover(_id: string, proof: Recovery) {
        heard.push(`recover:${proof.outcome}`);
        if (refuse) throw new HandheldError(refuse, '本笔支付尚未结束', '请等待支付结果', { status: 409 });
        t = { ...t, state: 'priced', tradeId: null };
        return t;
      },
      async cancel(_id: string, reason: string) {
        heard.push(`cancel:${reason}`);
        t = { ...t, state: 'cancelled' };
        return t;
      },
    },
  };
}

describe('【放弃本次交易】 of a CPC exit whose QR payment ended unpaid', () => {
  it('voids the payment at the station, cancels the exit, then drops the journal entry that held the home screen', async () => {
    const journal = new MemoryJournal<PendingCpcWrite>();
    await journal.put(ENTRY);
    const s = station('debit_pending');
    const t = await giveUpCpcExit({ client: s.client, journal }, 'txn-1');
    expect(t.state).toBe('cancelled');
    expect(s.heard).toEqual(['get', 'recover:not-debited', `cancel:${GIVE_UP_REASON}`]);
    expect(await journal.list()).toEqual([]);
  });

  it('keeps the exit and its journal entry when the station says an attempt may still take money', async () => {
    const journal = new MemoryJournal<PendingCpcWrite>();
    await journal.put(ENTRY);
    const s = station('debit_pending', 'STN_ERR_PAY_IN_FLIGHT');
    await expect(giveUpCpcExit({ client: s.client, journal }, 'txn-1')).rejects.toMatchObject({
      code: 'STN_ERR_PAY_IN_FLIGHT',
    });
    expect(s.heard).toEqual(['get', 'recover:not-debited']);
    expect(await journal.list()).toEqual([ENTRY]);
  });

  it('finishes a give-up cut short after the void (priced again): only the cancel is left', async () => {
    const journal = new MemoryJournal<PendingCpcWrite>();
    await journal.put(ENTRY);
    const s = station('priced');
    expect((await giveUpCpcExit({ client: s.client, journal }, 'txn-1')).state).toBe('cancelled');
    expect(s.heard).toEqual(['get', `cancel:${GIVE_UP_REASON}`]);
    expect(await journal.list()).toEqual([]);
  });
});
