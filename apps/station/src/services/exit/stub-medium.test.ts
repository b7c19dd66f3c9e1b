import { createHash } from 'node:crypto';
import { type Fen, formatPassId, SPECIAL } from '@tollpad/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StationError } from '../../errors';
import { AccountsRepository } from '../../repositories/accounts.repository';
import { ExitsRepository } from '../../repositories/exits.repository';
import { RecordsRepository } from '../../repositories/records.repository';
import { ShiftsRepository } from '../../repositories/shifts.repository';
import { type Harness, startHarness } from '../../testing/harness';
import { TEST_PNG } from '../../testing/sim-handheld';
import { DIALECTS } from '../../testing/test-db';
import { configureWorld, TEST_WORLD } from '../../testing/world';
import type { Principal } from '../auth.service';
import { ExitService } from '../exit.service';
import { ExitNotifier } from '../exit-notifier';
import { ExitOwnership } from '../exit-ownership';
import type { DebitBase } from '../json-columns';
import type { ExitCardWrite, ExitMedium, ExitParts, ExitPayment } from './exit-parts';

// The seam, proven: a medium, a payment and a card write that are not the ETC card's, composed by the same
// exit service, run an exit from 【读卡】 to a committed record. Nothing here ships: it is the shape a new
// medium (CPC, no card) and a new payment (QR, cash) take beside media/etc.ts and payments/etc-debit.ts.

/** A TEST vehicle known by its plate and a stated entry (as a no-card exit would be). */
interface StubRead {
  plate: string;
  colour: number;
  entryStationHex: string;
  entryTime: string;
}
interface StubDebit extends DebitBase {
  payRef: string;
}
interface StubTypes {
  input: StubRead;
  read: StubRead;
  intent: { amount: number; payRef: string };
  debit: StubDebit;
  proof: { tradeId: string; payRef: string; writeFailed?: boolean };
  notDebited: { payRef: string };
}

const TEST_CARD_ID = '99010000000000000777';

const stubMedium: ExitMedium<StubTypes> = {
  id: 'stub',
  open: (input) => ({
    mediumNo: TEST_CARD_ID,
    read: input,
    checks: {
      specials: [],
      listHits: [],
      suggested: { vehicleClass: 1, vehicleKind: 0 },
      actions: [],
      blocked: false,
      needsRelease: false,
    },
  }),
  plateSpecials: (read, actual) => (read.plate === actual.plate ? [] : [SPECIAL.ENTRY_EXIT_PLATE]),
  feeFacts: (read) => ({
    card: {
      userType: 0,
      entry: { station: read.entryStationHex, time: new Date(read.entryTime), vehicleClass: 1 },
    },
    obu: null,
  }),
  passId: (_read, laneId, now) => formatPassId({ media: 'none', exitLaneId: laneId, exitTime: now }),
  recordFields: (read) => ({
    enTollStationHex: read.entryStationHex,
    enTime: read.entryTime,
    // The record schema knows only the ETC media so far: the stub fills its fields with TEST values.
    mediaType: 1,
    obuSign: 1,
    cardId: TEST_CARD_ID,
    cardNet: '9901',
    etcCardType: 1,
    plate: read.plate,
    plateColour: read.colour,
    vehicleSign: 0xff,
    axleCount: 0,
    provinceCount: 1,
    noCardCount: 1,
  }),
};

const stubPayment: ExitPayment<StubTypes> = {
  id: 'stub-pay',
  payable: (_read, amount) =>
    amount <= 100_000
      ? { payable: true, reason: null, specials: [] }
      : { payable: false, reason: '超限额 (TEST)', specials: [] },
  announce: async (_t, intent, { now, passId }) => ({
    amount: intent.amount,
    exTime: now.toISOString(),
    passId: passId(),
    announcedAt: now.toISOString(),
    payRef: intent.payRef,
  }),
  reannounce: (pending, intent) => {
    if (pending.payRef !== intent.payRef) throw new StationError('STN_ERR_EXIT_BAD_STATE', 'another payment');
    return 'same';
  },
  verifyProof: (debit, proof) => {
    if (proof.payRef !== debit.payRef) throw new StationError('STN_ERR_EXIT_PROOF_MISMATCH', 'payRef');
  },
  digest: (txnId, proof) =>
    createHash('sha256')
      .update(JSON.stringify([txnId, proof.tradeId, proof.payRef, proof.writeFailed ?? false]))
      .digest('hex'),
  recordFields: (_read, debit) => ({
    transPayType: 2,
    tac: '00000000',
    transFee: debit.amount as Fen,
    transType: '09',
    terminalNo: '000000000000',
    terminalTransNo: '00000000',
    cardTransNo: 0,
    algorithmIdentifier: 1,
    // The schema's balance arithmetic is the ETC purse's: a payment without a purse moves "all of it".
    preBalance: debit.amount as Fen,
    postBalance: 0 as Fen,
  }),
  verifyNotDebited: (debit, proof) => {
    if (proof.payRef !== debit.payRef) throw new StationError('STN_ERR_EXIT_PROOF_MISMATCH', 'payRef');
  },
};

/** Written after the money moved: a failed write is a noted special case, never a lost payment. */
const stubWrite: ExitCardWrite<StubTypes> = {
  id: 'stub-write',
  timing: 'after-payment',
  specials: (proof) => (proof.writeFailed ? [SPECIAL.TIMEOUT] : []),
};

const parts: ExitParts<StubTypes> = { medium: stubMedium, payment: stubPayment, cardWrite: stubWrite };

for (const dialect of DIALECTS) {
  describe(`${dialect}: an exit composed of a stub medium, payment and card write`, () => {
    let h: Harness;
    let exits: ExitService<StubTypes>;
    let collector: Principal;
    let monitor: Principal;
    let photoSha256: string;

    beforeAll(async () => {
      h = await startHarness(dialect);
      await configureWorld(h);
      const s = h.station.services;
      const db = s.db.db;
      const shifts = new ShiftsRepository(db);
      exits = new ExitService<StubTypes>(
        {
          db: s.db,
          exits: new ExitsRepository(db),
          records: new RecordsRepository(db),
          shifts,
          accounts: new AccountsRepository(db),
          config: s.config,
          reference: s.reference,
          images: s.images,
          audit: s.audit,
          notifier: new ExitNotifier(),
          ownership: new ExitOwnership(shifts),
          now: () => h.clock.now,
        },
        { onlineFee: undefined, policy: {} },
        parts,
      );
      collector = await s.auth.authenticate(h.tokens.collector);
      monitor = await s.auth.authenticate(h.tokens.monitor);
      const img = await h.call('POST', '/images', {
        token: h.tokens.collector,
        body: TEST_PNG,
        headers: { 'content-type': 'image/png' },
      });
      photoSha256 = img.json().sha256 as string;
    });
    afterAll(async () => h?.close());

    /** 【读卡】 → 【提交图片数据】 → 【算费】 (→ 班长授权 when asked) → the payment's announcement. */
    async function toAnnounced(payRef: string) {
      const read: StubRead = {
        plate: '京A00001',
        colour: 0,
        entryStationHex: TEST_WORLD.entryStationHex,
        entryTime: new Date(h.clock.now.getTime() - 3600_000).toISOString(),
      };
      const t0 = await exits.create(collector, TEST_WORLD.laneId, read);
      await exits.image(collector, t0.id, { plate: '京A00002', plateColour: 0, photoSha256 });
      const priced = await exits.fee(collector, t0.id, { vehicleClass: 1, vehicleKind: 0 });
      if (priced.auth_status === 'required')
        await exits.authorise(monitor, t0.id, { approve: true, reason: 'TEST' });
      const amount = priced.amount ?? -1;
      const { txn, debit } = await exits.debitIntent(collector, t0.id, { amount, payRef });
      return { txn, debit, amount };
    }

    it('runs to a committed record carrying the medium, the fee and the payment', async () => {
      const { txn, debit, amount } = await toAnnounced('PAY-TEST-1');
      expect(txn.state).toBe('debit_pending');
      expect(amount).toBeGreaterThan(0);
      expect(debit).toMatchObject({ amount, payRef: 'PAY-TEST-1' });
      const tradeId = txn.trade_id ?? '';
      await expect(exits.commit(collector, txn.id, { tradeId, payRef: 'PAY-OTHER' })).rejects.toMatchObject({
        code: 'STN_ERR_EXIT_PROOF_MISMATCH',
      });
      const r = await exits.commit(collector, txn.id, { tradeId, payRef: 'PAY-TEST-1' });
      expect(r.replayed).toBe(false);
      expect(r.built).toMatchObject({
        id: tradeId,
        passId: debit.passId,
        cardId: TEST_CARD_ID,
        enTollStationHex: TEST_WORLD.entryStationHex,
        vehicleId: '京A00002_0',
        fee: amount,
        transFee: amount,
        noCardCount: 1,
      });
      expect(r.built?.specialType.split('|')).toContain(String(SPECIAL.ENTRY_EXIT_PLATE));
      expect((await exits.get(txn.id)).state).toBe('committed');
      const again = await exits.commit(collector, txn.id, { tradeId, payRef: 'PAY-TEST-1' });
      expect(again.replayed).toBe(true);
      expect(again.record.trade_id).toBe(tradeId);
    });

    it('notes a card write that failed after the payment, and still commits', async () => {
      const { txn } = await toAnnounced('PAY-TEST-2');
      const r = await exits.commit(collector, txn.id, {
        tradeId: txn.trade_id ?? '',
        payRef: 'PAY-TEST-2',
        writeFailed: true,
      });
      expect(r.built?.specialType.split('|')).toContain(String(SPECIAL.TIMEOUT));
    });

    it('recovers a payment proven not to have happened: priced again, the trade ID void', async () => {
      const { txn } = await toAnnounced('PAY-TEST-3');
      await expect(
        exits.recover(collector, txn.id, { outcome: 'not-debited', payRef: 'PAY-OTHER' }),
      ).rejects.toMatchObject({ code: 'STN_ERR_EXIT_PROOF_MISMATCH' });
      const r = await exits.recover(collector, txn.id, { outcome: 'not-debited', payRef: 'PAY-TEST-3' });
      expect(r.record).toBeNull();
      expect(r.txn).toMatchObject({ state: 'priced', trade_id: null, debit_json: null });
    });
  });
}
