import { hexToBytes, PsamDriver } from '@tollpad/card';
import { CPC_WORKED_EXAMPLE_HEX, VirtualCpc, VirtualPsam, VirtualReader } from '@tollpad/card/sim';
import type { CpcCommit, CpcPaymentIntent, PaymentStatus } from '@tollpad/station-api';
import { describe, expect, it } from 'vitest';
import type { StationClient } from '../api/station-client';
import type { ExitTxn } from '../api/types';
import { CpcExitDesk } from '../card/cpc-exit-desk';
import type { ReaderHub } from '../card/reader-hub-types';
import { TrainingReader } from '../card/training-reader';
import { HandheldError, handheldError } from '../errors';
import { MemoryJournal } from '../journal/idb-journal';
import type { PendingCpcWrite } from '../journal/pending-cpc';
import { type CpcExitResult, cpcClose } from './cpc-close';
import { paymentStatus, pricedTxn, TEST_TRADE_ID } from './testing';

const CPC_ID = '6201012345678901'; // cpc-card.md §9's TEST CPC
const REQ = { txnId: 'txn-1', cpcId: CPC_ID, amount: 7_000, pay: { method: 'cash' } } as const;

/** The §9 TEST CPC in the training reader, the real CPC desk over it and a virtual TEST PSAM. */
async function card() {
  const H = CPC_WORKED_EXAMPLE_HEX;
  const b = (h: string) => hexToBytes(h.replace(/\s/g, ''));
  const cpc = new VirtualCpc({
    sysInfo: b(H.sysInfo),
    baseInfo: b(H.baseInfo),
    entry: b(H.entry),
    pass: b(H.pass),
    feeBlocks: b(H.feeBlocks),
  });
  const reader = new TrainingReader(
    () => undefined,
    () => undefined,
  );
  reader.insert(cpc);
  const hub = { reader: () => reader } as unknown as ReaderHub;
  const slot = new VirtualReader('psam');
  slot.insert(new VirtualPsam({ terminalId: hexToBytes('0151000119F8') }));
  const psam = new PsamDriver(slot);
  await psam.open();
  const desk = new CpcExitDesk(hub, async () => psam, { shortWait: { attempts: 2, intervalMs: 5 } });
  await desk.read();
  return { cpc, reader, desk };
}

const flags = (cpc: VirtualCpc) => Array.from(cpc.file('entry').subarray(23, 25));

/**
 * A station that answers, except the calls named in `failing` (a network error, or the station's refusal);
 * it records what it heard, the card's flags and the handheld's journal at that moment.
 */
function station(cpc: VirtualCpc, journal: MemoryJournal<PendingCpcWrite>) {
  const heard: { name: string; body: unknown; flagsThen: number[]; journalThen: PendingCpcWrite[] }[] = [];
  const failing = new Map<string, 'network' | 'refused'>();
  /** The intent's payment status, then what each long poll answers in turn (none: a station without them). */
  const statuses: PaymentStatus[] = [];
  const answer = async <T>(name: string, body: unknown, value: T): Promise<T> => {
    heard.push({ name, body, flagsThen: flags(cpc), journalThen: await journal.list() });
    const f = failing.get(name);
    if (f === 'network') throw handheldError('HH_ERR_NETWORK');
    if (f === 'refused')
      throw new HandheldError('STN_ERR_EXIT_PASS_PAID', '该车本次通行已收费', '请勿重复收费', {
        status: 409,
      });
    return value;
  };
  const client = {
    cpcPaymentIntent: (_id: string, body: CpcPaymentIntent) =>
      answer('intent', body, {
        txn: pricedTxn({ state: 'debit_pending', medium: 'cpc' }),
        tradeId: TEST_TRADE_ID,
        payment: statuses.shift() ?? null,
      }),
    payment: async (_id: string, since: number) => {
      const s = statuses.shift();
      if (!s)
        throw new HandheldError('STN_ERR_PAY_NOT_FOUND', '本笔交易没有扫码支付', '请重新操作', {
          status: 404,
        });
      return answer('payment', { since }, s);
    },
    stopPayment: (_id: string) => answer('stop', {}, undefined),
    paymentAttempt: (_id: string, body: unknown) => answer('attempt', body, undefined),
    recover: (_id: string, body: unknown) => answer('recover', body, pricedTxn({ medium: 'cpc' })),
    commitCpc: (_id: string, body: CpcCommit) =>
      answer('commit', body, { tradeId: TEST_TRADE_ID, replayed: false }),
  } as unknown as StationClient;
  return { client, heard, failing, statuses };
}

/** The close's parts over the TEST card and a fresh journal. */
function deps(desk: CpcExitDesk, client: StationClient, journal: MemoryJournal<PendingCpcWrite>) {
  return { client, cpc: desk, journal, laneId: 'lane-1', now: () => new Date('2026-12-06T12:00:00Z') };
}

function screen() {
  const seen = {
    phases: [] as string[],
    errors: [] as (string | null)[],
    payments: [] as (string | null)[],
    txn: null as ExitTxn | null,
    result: null as CpcExitResult | null,
  };
  return {
    seen,
    view: {
      alive: () => true,
      phase: (p: string) => seen.phases.push(p),
      txn: (t: ExitTxn | ((t: ExitTxn | null) => ExitTxn | null)) => {
        seen.txn = typeof t === 'function' ? t(seen.txn) : t;
      },
      error: (e: { code: string } | null) => seen.errors.push(e?.code ?? null),
      payment: (p: PaymentStatus | null) => seen.payments.push(p?.phase ?? null),
      result: (r: CpcExitResult) => {
        seen.result = r;
      },
    },
  };
}

describe('the CPC exit close: confirmed cash, 写卡/关闭CPC, commit with the outcome', () => {
  it('announces the cash before the card is touched, writes it, commits written', async () => {
    const { cpc, desk } = await card();
    const journal = new MemoryJournal<PendingCpcWrite>();
    const { client, heard } = station(cpc, journal);
    const { seen, view } = screen();
    await cpcClose(deps(desk, client, journal), view).submit(REQ);
    expect(heard.map((h) => [h.name, h.flagsThen])).toEqual([
      ['intent', [1, 1]],
      ['commit', [2, 2]],
    ]);
    expect(heard[0]?.body).toEqual({ payment: 'cash', amount: 7_000 });
    expect(heard[1]?.body).toEqual({ tradeId: TEST_TRADE_ID, cardWrite: 'written' });
    expect(seen.phases).toEqual(['paying', 'writing', 'settling', 'done']);
    expect(seen.result).toEqual({
      amount: 7_000,
      tradeId: TEST_TRADE_ID,
      method: 'cash',
      payment: null,
      cardWrite: 'written',
      reason: null,
    });
    expect(seen.txn?.state).toBe('committed');
  });

  it('the card gone at the write: commits not-written with the reason; the cash stands', async () => {
    const { cpc, reader, desk } = await card();
    const journal = new MemoryJournal<PendingCpcWrite>();
    const { client, heard } = station(cpc, journal);
    const { seen, view } = screen();
    reader.fault = { step: 'write', action: 'pull' };
    await cpcClose(deps(desk, client, journal), view).submit(REQ);
    expect(heard.map((h) => h.name)).toEqual(['intent', 'commit']);
    expect(heard[1]?.body).toMatchObject({ tradeId: TEST_TRADE_ID, cardWrite: 'not-written' });
    expect((heard[1]?.body as CpcCommit | undefined)?.reason).toMatch(/\S/);
    // The card layer's code travels typed, for the station's specials.
    expect((heard[1]?.body as CpcCommit | undefined)?.cardError).toMatch(/^CARD_(ABSENT|NOT_RETURNED|IO)$/);
    expect(seen.result).toMatchObject({ cardWrite: 'not-written' });
    expect(seen.phases.at(-1)).toBe('done');
  });

  it('the station refuses the payment: the card is not written and nothing is committed', async () => {
    const { cpc, desk } = await card();
    const journal = new MemoryJournal<PendingCpcWrite>();
    const { client, heard, failing } = station(cpc, journal);
    failing.set('intent', 'network');
    const { seen, view } = screen();
    await cpcClose(deps(desk, client, journal), view).submit(REQ);
    expect(heard.map((h) => h.name)).toEqual(['intent']);
    expect(flags(cpc)).toEqual([1, 1]);
    expect(seen.errors.at(-1)).toBe('HH_ERR_NETWORK');
    expect(seen.phases.at(-1)).toBe('idle');
    expect(seen.result).toBeNull();
    // The station may or may not have heard the cash: the exit stays in the journal for the home screen.
    expect((await journal.list()).map((p) => p.tradeId)).toEqual([null]);
  });

  it('the station refuses the payment (STN_ERR_EXIT_PASS_PAID): no cash held, nothing left to finish', async () => {
    const { cpc, desk } = await card();
    const journal = new MemoryJournal<PendingCpcWrite>();
    const { client, heard, failing } = station(cpc, journal);
    failing.set('intent', 'refused');
    const { seen, view } = screen();
    await cpcClose(deps(desk, client, journal), view).submit(REQ);
    expect(heard.map((h) => h.name)).toEqual(['intent']);
    expect(flags(cpc)).toEqual([1, 1]);
    expect(seen.errors.at(-1)).toBe('STN_ERR_EXIT_PASS_PAID');
    expect(await journal.list()).toEqual([]);
  });

  it('cash refused while the driver’s ETC-card intent may be pending (its answer lost): the card’s journal entry stays, so the card can still prove it', async () => {
    const { cpc, desk } = await card();
    const journal = new MemoryJournal<PendingCpcWrite>();
    const { client, heard, failing } = station(cpc, journal);
    // The card's intent reached the station but its answer did not: the entry (before DEBIT) is all that is left.
    const cardEntry: PendingCpcWrite = {
      txnId: 'txn-1',
      laneId: 'lane-1',
      cpcId: CPC_ID,
      amount: 7_000,
      tradeId: null,
      method: 'etc-card',
      etcCard: {
        cardNo: '99011234567890123456',
        phase: 'intent',
        entry: {
          id: 'x',
          cardNumber: '99011234567890123456',
          atc: 7,
          amount: 7_000 as never,
          terminalId: '0151000119F8',
          terminalSerial: 1,
          datetime: '20261206200000',
          algorithm: '3des',
          ef0019: 'AA29'.padEnd(86, '0'),
          balanceBefore: 50_000 as never,
        },
      },
      updatedAt: '2026-12-06T12:00:00.000Z',
    };
    await journal.put(cardEntry);
    // The station holds the card's payment: cash is refused (a different payment is already pending).
    failing.set('intent', 'refused');
    const { view } = screen();
    await cpcClose(deps(desk, client, journal), view).submit(REQ);
    expect(heard.map((h) => h.name)).toEqual(['intent']);
    expect(flags(cpc)).toEqual([1, 1]);
    expect(await journal.get('txn-1')).toEqual(cardEntry);
  });

  it('keeps the exit in the durable journal from before the cash is announced until its commit', async () => {
    const { cpc, desk } = await card();
    const journal = new MemoryJournal<PendingCpcWrite>();
    const { client, heard } = station(cpc, journal);
    const { view } = screen();
    await cpcClose(deps(desk, client, journal), view).submit(REQ);
    const entry = {
      txnId: 'txn-1',
      laneId: 'lane-1',
      cpcId: CPC_ID,
      amount: 7_000,
      method: 'cash',
      updatedAt: '2026-12-06T12:00:00.000Z',
    };
    expect(heard.map((h) => [h.name, h.journalThen])).toEqual([
      ['intent', [{ ...entry, tradeId: null }]],
      ['commit', [{ ...entry, tradeId: TEST_TRADE_ID }]],
    ]);
    expect(await journal.list()).toEqual([]);
  });

  it('the commit lost after the write: resume writes again (idempotent) and commits once more', async () => {
    const { cpc, desk } = await card();
    const journal = new MemoryJournal<PendingCpcWrite>();
    const { client, heard, failing } = station(cpc, journal);
    failing.set('commit', 'network');
    const { seen, view } = screen();
    const close = cpcClose(deps(desk, client, journal), view);
    await close.submit(REQ);
    expect(seen.errors.at(-1)).toBe('HH_ERR_NETWORK');
    expect(seen.result).toBeNull();
    expect((await journal.list()).map((p) => p.tradeId)).toEqual([TEST_TRADE_ID]);
    failing.delete('commit');
    await close.resume({ ...REQ, tradeId: TEST_TRADE_ID, method: 'cash' });
    expect(heard.map((h) => h.name).filter((n) => n !== 'payment')).toEqual(['intent', 'commit', 'commit']);
    expect(heard[2]?.body).toEqual({ tradeId: TEST_TRADE_ID, cardWrite: 'written' });
    expect(flags(cpc)).toEqual([2, 2]);
    expect(seen.result).toMatchObject({ cardWrite: 'written' });
    expect(await journal.list()).toEqual([]);
  });
});

describe('the CPC exit paid by QR: the payment followed to its end, the card written only once paid', () => {
  const CODE = '134512345678900002'; // TEST WeChat code: password, then paid (apps/paygate fixtures)
  const QR = { ...REQ, pay: { method: 'qr', authCode: CODE } } as const;

  it('a password wait: the collector sees why, the card is untouched until paid, then written and committed', async () => {
    const { cpc, desk } = await card();
    const journal = new MemoryJournal<PendingCpcWrite>();
    const { client, heard, statuses } = station(cpc, journal);
    statuses.push(
      paymentStatus({ phase: 'submitted', version: 1 }),
      paymentStatus({ phase: 'user-paying', message: '请顾客在手机上输入支付密码', version: 2 }),
      paymentStatus({ phase: 'succeeded', final: true, platformOrderNo: 'TEST-ORDER-1', version: 3 }),
    );
    const { seen, view } = screen();
    await cpcClose(deps(desk, client, journal), view).submit(QR);
    expect(heard[0]?.body).toEqual({ payment: 'qr', amount: 7_000, mode: 'code', authCode: CODE });
    expect(heard.map((h) => [h.name, h.flagsThen])).toEqual([
      ['intent', [1, 1]],
      ['payment', [1, 1]],
      ['payment', [1, 1]],
      ['commit', [2, 2]],
    ]);
    // Each long poll asks for what is newer than the last status seen.
    expect(heard.filter((h) => h.name === 'payment').map((h) => h.body)).toEqual([
      { since: 1 },
      { since: 2 },
    ]);
    expect(seen.payments).toEqual([null, 'submitted', 'user-paying', 'succeeded']);
    expect(seen.result).toMatchObject({
      method: 'qr',
      cardWrite: 'written',
      payment: { platformOrderNo: 'TEST-ORDER-1' },
    });
    expect(await journal.list()).toEqual([]);
  });

  it('a payment that ends not paid: no card write, no commit, the exit kept for another code or cash', async () => {
    const { cpc, desk } = await card();
    const journal = new MemoryJournal<PendingCpcWrite>();
    const { client, heard, statuses } = station(cpc, journal);
    statuses.push(
      paymentStatus({ phase: 'submitted', version: 1 }),
      paymentStatus({ phase: 'failed', final: true, reason: 'insufficient', version: 2 }),
    );
    const { seen, view } = screen();
    await cpcClose(deps(desk, client, journal), view).submit(QR);
    expect(heard.map((h) => h.name)).toEqual(['intent', 'payment']);
    expect(flags(cpc)).toEqual([1, 1]);
    expect(seen.result).toBeNull();
    expect(seen.phases.at(-1)).toBe('idle');
    expect((await journal.list()).map((p) => [p.tradeId, p.method])).toEqual([[TEST_TRADE_ID, 'qr']]);
  });

  it('reopened (closed tab): follows the station’s payment and never sends a second intent', async () => {
    const { cpc, desk } = await card();
    const journal = new MemoryJournal<PendingCpcWrite>();
    const { client, heard, statuses } = station(cpc, journal);
    statuses.push(
      paymentStatus({ phase: 'user-paying', version: 4 }),
      paymentStatus({ phase: 'succeeded', final: true, version: 5 }),
    );
    const { seen, view } = screen();
    await cpcClose(deps(desk, client, journal), view).resume({
      ...REQ,
      tradeId: TEST_TRADE_ID,
      method: 'qr',
    });
    expect(heard.map((h) => h.name)).toEqual(['payment', 'payment', 'commit']);
    expect(heard[0]?.body).toEqual({ since: -1 });
    expect(seen.result).toMatchObject({ method: 'qr', cardWrite: 'written' });
  });

  it('cash with the tendered amount: the station hears it and the change comes back in the result', async () => {
    const { cpc, desk } = await card();
    const journal = new MemoryJournal<PendingCpcWrite>();
    const { client, heard, statuses } = station(cpc, journal);
    statuses.push(
      paymentStatus({
        method: 'cash',
        mode: null,
        channel: null,
        phase: 'succeeded',
        final: true,
        cash: { tendered: 10_000, change: 3_000 },
      }),
    );
    const { seen, view } = screen();
    await cpcClose(deps(desk, client, journal), view).submit({
      ...REQ,
      pay: { method: 'cash', tendered: 10_000 },
    });
    expect(heard[0]?.body).toEqual({ payment: 'cash', amount: 7_000, tendered: 10_000 });
    expect(heard.map((h) => h.name)).toEqual(['intent', 'commit']);
    expect(seen.result?.payment?.cash).toEqual({ tendered: 10_000, change: 3_000 });
  });

  it('after a not-paid end: another code goes as a new attempt of the same payment, cash only after a recover', async () => {
    const { cpc, desk } = await card();
    const journal = new MemoryJournal<PendingCpcWrite>();
    const { client, heard, statuses } = station(cpc, journal);
    const paid = { ...REQ, tradeId: TEST_TRADE_ID, method: 'qr' } as const;
    const { seen, view } = screen();
    const close = cpcClose(deps(desk, client, journal), view);
    statuses.push(paymentStatus({ phase: 'succeeded', final: true, attempt: 2, version: 7 }));
    await close.retry(paid, '2812345678900001');
    expect(heard.map((h) => h.name)).toEqual(['attempt', 'payment', 'commit']);
    expect(heard[0]?.body).toEqual({ mode: 'code', authCode: '2812345678900001' });
    expect(seen.result).toMatchObject({ method: 'qr', cardWrite: 'written' });
  });

  it('cash after a QR that ended not paid: the station voids the attempt first, then hears the cash', async () => {
    const { cpc, desk } = await card();
    const journal = new MemoryJournal<PendingCpcWrite>();
    const { client, heard, failing } = station(cpc, journal);
    const paid = { ...REQ, tradeId: TEST_TRADE_ID, method: 'qr' } as const;
    const { seen, view } = screen();
    const close = cpcClose(deps(desk, client, journal), view);
    // An attempt that may still take money: the station refuses the recover, and no cash is announced.
    failing.set('recover', 'refused');
    await close.toCash(paid, 10_000);
    expect(heard.map((h) => h.name)).toEqual(['recover']);
    expect(flags(cpc)).toEqual([1, 1]);
    failing.delete('recover');
    await close.toCash(paid, 10_000);
    expect(heard.map((h) => h.name)).toEqual(['recover', 'recover', 'intent', 'commit']);
    expect(heard[1]?.body).toEqual({ outcome: 'not-debited' });
    expect(heard[2]?.body).toEqual({ payment: 'cash', amount: 7_000, tendered: 10_000 });
    expect(seen.result).toMatchObject({ method: 'cash', cardWrite: 'written' });
  });

  it('the collector stops waiting: the station is asked to stop, and its outcome is followed (not assumed)', async () => {
    const { cpc, desk } = await card();
    const journal = new MemoryJournal<PendingCpcWrite>();
    const { client, heard, statuses } = station(cpc, journal);
    // The query before the cancel found it paid: the card is written, the payment stands.
    statuses.push(paymentStatus({ phase: 'succeeded', final: true, version: 9 }));
    const { seen, view } = screen();
    await cpcClose(deps(desk, client, journal), view).stop({ ...REQ, tradeId: TEST_TRADE_ID, method: 'qr' });
    expect(heard.map((h) => h.name)).toEqual(['stop', 'payment', 'commit']);
    expect(seen.result).toMatchObject({ cardWrite: 'written' });
  });
});
