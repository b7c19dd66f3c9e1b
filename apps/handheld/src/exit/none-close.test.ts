import type { CpcPaymentIntent, NoneCommit, PaymentStatus } from '@tollpad/station-api';
import { describe, expect, it } from 'vitest';
import type { StationClient } from '../api/station-client';
import type { ExitTxn } from '../api/types';
import { MemoryJournal } from '../journal/idb-journal';
import type { PendingCpcWrite } from '../journal/pending-cpc';
import { type CpcExitResult, cpcClose } from './cpc-close';
import { pricedTxn, TEST_TRADE_ID } from './testing';

// 【无卡交易】's close: the CPC's payment and journal, no card to write, the commit names `cardWrite: 'none'`.
describe('the no-card exit close', () => {
  it('journals the exit before the intent, commits none after the cash, and leaves the journal empty', async () => {
    const journal = new MemoryJournal<PendingCpcWrite>();
    const heard: { name: string; body: unknown; journalThen: PendingCpcWrite[] }[] = [];
    const answer = async <T>(name: string, body: unknown, value: T): Promise<T> => {
      heard.push({ name, body, journalThen: await journal.list() });
      return value;
    };
    const client = {
      cpcPaymentIntent: (_id: string, body: CpcPaymentIntent) =>
        answer('intent', body, {
          txn: pricedTxn({ state: 'debit_pending', medium: 'none' }),
          tradeId: TEST_TRADE_ID,
          payment: null,
        }),
      commitCpc: (_id: string, body: NoneCommit) =>
        answer('commit', body, { tradeId: TEST_TRADE_ID, replayed: false }),
    } as unknown as StationClient;
    let result: CpcExitResult | null = null;
    const phases: string[] = [];
    let txn: ExitTxn | null = null;
    const close = cpcClose(
      { client, cpc: null, journal, laneId: 'lane-1', now: () => new Date('2026-12-07T12:00:00Z') },
      {
        alive: () => true,
        phase: (p) => phases.push(p),
        txn: (t) => {
          txn = typeof t === 'function' ? t(txn) : t;
        },
        error: () => undefined,
        payment: (_p: PaymentStatus | null) => undefined,
        result: (r) => {
          result = r;
        },
      },
    );
    await close.submit({ txnId: 'txn-1', cpcId: '', amount: 4_900, pay: { method: 'cash' } });
    expect(heard.map((h) => h.name)).toEqual(['intent', 'commit']);
    // Journalled (as a no-card exit) before the intent left, so a closed tab resumes it on its own screen.
    expect(heard[0]?.journalThen).toMatchObject([{ txnId: 'txn-1', medium: 'none', tradeId: null }]);
    expect(heard[1]?.body).toEqual({ tradeId: TEST_TRADE_ID, cardWrite: 'none' });
    expect(phases).toEqual(['paying', 'settling', 'done']);
    expect(result).toMatchObject({
      cardWrite: 'none',
      amount: 4_900,
      method: 'cash',
      tradeId: TEST_TRADE_ID,
    });
    expect(await journal.list()).toEqual([]);
  });
});
