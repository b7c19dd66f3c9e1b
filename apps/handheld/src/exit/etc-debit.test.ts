import { describe, expect, it } from 'vitest';
import type { StationClient } from '../api/station-client';
import type { DebitIntent, DebitResult, ExitTxn } from '../api/types';
import { type CardDesk, type PurchaseRequest, TornDebitError } from '../card/card-desk';
import { handheldError } from '../errors';
import { MemoryJournal, type PendingDebit } from '../journal/idb-journal';
import { type DebitView, etcDebit } from './etc-debit';
import { outcome, pending, pricedTxn, TEST_TRADE_ID } from './testing';

const REQUEST: PurchaseRequest = {
  txnId: 'txn-1',
  laneId: 'G90013700100202010010',
  cardNo: '99010000000009000001',
  amount: 12_955,
  vehicleClass: 1,
  plate: '鲁A12345',
  plateColour: 0,
};

const DEBITED = pending({ debited: true, result: outcome(false) });
const PROVED = pending({ debited: true, result: outcome(true) });
const NOT_DEBITED = pending({ debited: false });

/** A station that answers every call, except those named in `failing` (a network error). */
function station() {
  const calls: string[] = [];
  const failing = new Set<string>();
  const answer = <T>(name: string, value: T): Promise<T> => {
    calls.push(name);
    return failing.has(name) ? Promise.reject(handheldError('HH_ERR_NETWORK')) : Promise.resolve(value);
  };
  const client = {
    debitIntent: () =>
      answer('debitIntent', { txn: pricedTxn({ state: 'debit_pending' }), tradeId: TEST_TRADE_ID }),
    commit: () => answer('commit', { tradeId: TEST_TRADE_ID, replayed: false }),
    recover: () => answer('recover', pricedTxn({ state: 'committed', tradeId: TEST_TRADE_ID })),
    getExit: () => answer('getExit', pricedTxn({ state: 'debit_pending', tradeId: TEST_TRADE_ID })),
  } as unknown as StationClient;
  return { client, calls, failing };
}

/**
 * A card desk whose purchase announces, writes the journal as the real one does, then ends as told:
 * with the card's outcome, a tear, or a failure before the DEBIT; recovery on the card gives `proved`.
 */
function desk(journal: MemoryJournal, ends: PendingDebit | Error, proved: PendingDebit = PROVED) {
  return {
    async purchase(_req, hooks) {
      await hooks.announce({} as DebitIntent);
      hooks.onStep?.('debit');
      if (ends instanceof Error) throw ends;
      await journal.put(ends);
      return ends;
    },
    async recover(_p, onStep) {
      onStep?.('recovering');
      await journal.put(proved);
      return proved;
    },
  } satisfies Pick<CardDesk, 'purchase' | 'recover'>;
}

/** The card is back at once after a tear. */
const hub = { waitForCard: async () => undefined };

/** The screen, as the debit tells it: phases, error codes, the transaction and the result. */
function screen(open = () => true) {
  const seen = {
    phases: [] as string[],
    errors: [] as (string | null)[],
    txn: pricedTxn() as ExitTxn | null,
    result: null as DebitResult | null,
  };
  const view: DebitView = {
    alive: open,
    phase: (p) => seen.phases.push(p),
    step: () => undefined,
    txn: (t) => {
      seen.txn = typeof t === 'function' ? t(seen.txn) : t;
    },
    error: (e) => seen.errors.push(e?.code ?? null),
    result: (r) => {
      seen.result = r;
    },
  };
  return { seen, view };
}

describe('the ETC debit on the handheld', () => {
  it('debits, commits and shows the result with the trade ID', async () => {
    const journal = new MemoryJournal();
    const s = station();
    const { seen, view } = screen();
    await etcDebit({ client: s.client, journal, desk: desk(journal, DEBITED), hub }, view).submit(REQUEST);
    expect(s.calls).toEqual(['debitIntent', 'commit']);
    expect(seen.phases).toEqual(['debiting', 'settling', 'done']);
    expect(seen.result).toMatchObject({ tac: '0A1B2C3D', tradeId: TEST_TRADE_ID, recovered: false });
    expect(seen.txn).toMatchObject({ state: 'committed', tradeId: TEST_TRADE_ID });
    expect(seen.errors.at(-1)).toBeNull();
    expect(await journal.list()).toEqual([]);
  });

  it('after a tear waits for the card, proves the debit on it and records it once', async () => {
    const journal = new MemoryJournal();
    const s = station();
    const { seen, view } = screen();
    const tear = new TornDebitError(pending(undefined));
    await etcDebit({ client: s.client, journal, desk: desk(journal, tear), hub }, view).submit(REQUEST);
    expect(seen.phases).toEqual(['debiting', 'torn', 'recovering', 'settling', 'done']);
    expect(seen.errors).toEqual([null, 'HH_ERR_TORN', null]);
    expect(s.calls).toEqual(['debitIntent', 'recover']);
    expect(seen.result).toMatchObject({ recovered: true, tradeId: TEST_TRADE_ID });
  });

  it('keeps a known outcome the station was not told, and settles it on retry', async () => {
    const journal = new MemoryJournal();
    const s = station();
    const { seen, view } = screen();
    const debit = etcDebit({ client: s.client, journal, desk: desk(journal, DEBITED), hub }, view);
    s.failing.add('commit');
    await debit.submit(REQUEST);
    expect(seen.phases).toEqual(['debiting', 'settling', 'torn']);
    expect(seen.errors.at(-1)).toBe('HH_ERR_NETWORK');
    expect(await journal.list()).toHaveLength(1);
    s.failing.clear();
    await debit.retry('txn-1');
    expect(seen.phases.at(-1)).toBe('done');
    expect(await journal.list()).toEqual([]);
  });

  it('a failure before the DEBIT leaves nothing to recover: back to idle with the error', async () => {
    const journal = new MemoryJournal();
    const { seen, view } = screen();
    const refused = handheldError('HH_ERR_CARD_IO');
    await etcDebit({ client: station().client, journal, desk: desk(journal, refused), hub }, view).submit(
      REQUEST,
    );
    expect(seen.phases).toEqual(['debiting', 'idle']);
    expect(seen.errors.at(-1)).toBe('HH_ERR_CARD_IO');
    expect(seen.result).toBeNull();
  });

  it('a card proved not debited voids the intent and lets the collector submit again', async () => {
    const journal = new MemoryJournal();
    const s = station();
    const { seen, view } = screen();
    await etcDebit({ client: s.client, journal, desk: desk(journal, NOT_DEBITED), hub }, view).submit(
      REQUEST,
    );
    expect(s.calls).toEqual(['debitIntent', 'recover']);
    expect(seen.phases.at(-1)).toBe('idle');
    expect(seen.errors.at(-1)).toBe('HH_ERR_DEBIT_FAILED');
    expect(seen.result).toBeNull();
  });

  it('a resolved entry found on reopening is settled without touching the card', async () => {
    const journal = new MemoryJournal();
    await journal.put(DEBITED);
    const { seen, view } = screen();
    const cardless = { ...desk(journal, DEBITED), recover: () => Promise.reject(new Error('card asked')) };
    await etcDebit({ client: station().client, journal, desk: cardless, hub }, view).recover(DEBITED);
    expect(seen.phases).toEqual(['settling', 'done']);
  });

  it('stops waiting for the card when the screen closes, saying nothing', async () => {
    let open = true;
    const { seen, view } = screen(() => open);
    let asked: () => void = () => undefined;
    const waiting = new Promise<void>((r) => {
      asked = r;
    });
    const absent = {
      waitForCard: (signal?: AbortSignal) =>
        new Promise<void>((_, reject) => {
          asked();
          signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
        }),
    };
    const journal = new MemoryJournal();
    const debit = etcDebit(
      { client: station().client, journal, desk: desk(journal, DEBITED), hub: absent },
      view,
    );
    const recovering = debit.recover(pending(undefined));
    await waiting;
    open = false;
    debit.stop();
    await recovering;
    expect(seen.phases).toEqual(['torn']);
    expect(seen.errors).toEqual([]);
  });
});
