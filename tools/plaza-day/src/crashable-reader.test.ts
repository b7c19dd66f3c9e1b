import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Ef0019, ExitPurchase, hexToBytes, PsamDriver, pollingWaiter } from '@tollpad/card';
import { VirtualPsam, VirtualReader } from '@tollpad/card/sim';
import type { Fen } from '@tollpad/domain';
import { afterEach, describe, expect, it } from 'vitest';
import { CrashableReader } from './crashable-reader';
import { FileJournal } from './journal-file';
import { issueVehicleCard, type Vehicle } from './vehicles';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A TEST vehicle (synthetic) with an entry 1 h ago. */
const vehicle = (serial: number): Vehicle => ({
  index: serial,
  caseId: 'car-3des',
  serial,
  plate: '测A12345',
  actualPlate: '测A12345',
  colour: 0,
  vehicleClass: 1,
  cardType: 'stored-value',
  algorithm: serial % 2 ? 'sm4' : '3des',
  balance: 10_000,
  entryStationHex: '39010101',
  declaredEntryHex: '39010101',
  entryTime: new Date(Date.now() - 3_600_000),
});

async function handheld(journalFile: string, psamCard: VirtualPsam, slot: VirtualReader) {
  const psamReader = new VirtualReader('psam');
  psamReader.insert(psamCard);
  const psam = new PsamDriver(psamReader);
  await psam.open();
  const reader = new CrashableReader(slot);
  const journal = new FileJournal(journalFile);
  journal.txnId = 'txn-TEST';
  const purchase = new ExitPurchase({
    card: reader,
    psam,
    journal,
    waiter: pollingWaiter({ attempts: 2, intervalMs: 0 }),
    config: { readAccountBalance: true },
  });
  return { reader, journal, purchase };
}

describe('handheld restart mid-debit (CrashableReader + FileJournal)', () => {
  for (const when of ['before', 'after'] as const) {
    it(`recovers from the journal file on the same card when it dies ${when} DEBIT`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'plaza-day-'));
      dirs.push(dir);
      const file = join(dir, 'journal-HH-TEST.json');
      const card = issueVehicleCard(vehicle(when === 'before' ? 10 : 11));
      const slot = new VirtualReader('card');
      slot.insert(card);
      const psamCard = new VirtualPsam({ terminalId: hexToBytes('0151000119F8') });
      const a = await handheld(file, psamCard, slot);
      const snap = await a.purchase.readCard();
      a.reader.crashAt = when;
      await expect(
        a.purchase.purchase(snap, {
          amount: 500 as Fen,
          exit0019: { ...snap.ef0019, status: 0x04 } as Ef0019,
        }),
      ).rejects.toThrow();
      expect(a.reader.dead).toBe(true);
      expect(card.debits).toHaveLength(when === 'after' ? 1 : 0);

      // The restarted handheld: nothing from before but the file and the card in the slot.
      const b = await handheld(file, psamCard, slot);
      const pending = b.journal.list();
      expect(pending).toHaveLength(1);
      expect(pending[0]!.txnId).toBe('txn-TEST');
      const r = await b.purchase.recoverPending(pending[0]!.entry);
      expect(r.status).toBe(when === 'after' ? 'debited' : 'not-debited');
      if (r.status === 'debited') {
        expect(r.outcome.tac).toBe(card.debits[0]!.tac);
        expect(b.journal.list()[0]!.outcome?.tac).toBe(r.outcome.tac);
      } else expect(b.journal.list()).toHaveLength(0);
      expect(card.balance).toBe(when === 'after' ? 9_500 : 10_000);
    });
  }
});
