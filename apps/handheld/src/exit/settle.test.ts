import { describe, expect, it } from 'vitest';
import type { StationClient } from '../api/station-client';
import { MemoryJournal } from '../journal/idb-journal';
import { commitInputOf, debitResultOf, settle } from './settle';
import { outcome, pending, pricedTxn, TEST_TRADE_ID } from './testing';

const TXN = pricedTxn({ state: 'committed', tradeId: TEST_TRADE_ID });

function fakeClient(fail = false) {
  const calls: [string, unknown][] = [];
  const client = {
    commit: async (_id: string, c: unknown) => {
      calls.push(['commit', c]);
      if (fail) throw new Error('network');
      return { tradeId: 'x', replayed: false };
    },
    recover: async (_id: string, body: unknown) => {
      calls.push(['recover', body]);
      if (fail) throw new Error('network');
      return TXN;
    },
    getExit: async () => {
      calls.push(['getExit', null]);
      return TXN;
    },
  } as unknown as StationClient;
  return { client, calls };
}

describe('settle: the station learns the card outcome, then the journal entry goes', () => {
  it('builds the commit from the card proof (SM4 → algorithm 2, serial as 8 hex digits)', () => {
    expect(commitInputOf(pending({ debited: true, result: outcome(false) }), 'T')).toEqual({
      tradeId: 'T',
      tac: '0A1B2C3D',
      psamTerminalNo: '0151000119F8',
      terminalTransNo: '00000007',
      cardTransNo: 3,
      preBalance: 50_000,
      postBalance: 37_045,
      algorithm: 2,
    });
  });

  it('shows the card proof of a debit as the result, and no result when not debited', () => {
    expect(debitResultOf(pending({ debited: true, result: outcome(true) }), 'T')).toEqual({
      tac: '0A1B2C3D',
      amount: 12_955,
      balanceAfter: 37_045,
      tradeId: 'T',
      recovered: true,
    });
    expect(debitResultOf(pending({ debited: false }), 'T')).toBeNull();
  });

  it('commits a plain debit, recovers a proved one, voids a not-debited one', async () => {
    for (const [o, kind] of [
      [{ debited: true, result: outcome(false) }, 'commit'],
      [{ debited: true, result: outcome(true) }, 'recover'],
      [{ debited: false }, 'recover'],
    ] as const) {
      const journal = new MemoryJournal();
      const p = pending(o);
      await journal.put(p);
      const { client, calls } = fakeClient();
      await settle(client, journal, p);
      expect(calls.map((c) => c[0])).toEqual([kind]);
      expect(await journal.list()).toEqual([]);
    }
  });

  it('after a crash lost the trade ID, reads it back from the station', async () => {
    const journal = new MemoryJournal();
    const { client, calls } = fakeClient();
    const r = await settle(client, journal, pending({ debited: true, result: outcome(true) }, null));
    expect(calls[0]?.[0]).toBe('getExit');
    expect(r.tradeId).toBe(TEST_TRADE_ID);
  });

  it('keeps the entry when the station cannot be told (retried later, never lost)', async () => {
    const journal = new MemoryJournal();
    const p = pending({ debited: true, result: outcome(false) });
    await journal.put(p);
    await expect(settle(fakeClient(true).client, journal, p)).rejects.toThrow('network');
    expect(await journal.list()).toHaveLength(1);
  });
});
