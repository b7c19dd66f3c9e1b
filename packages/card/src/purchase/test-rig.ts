import { fen } from '@tollpad/domain';
/**
 * TEST rig shared by the purchase tests and the bench: a TEST-issued virtual card in a virtual reader, a
 * virtual PSAM, a memory journal, and a waiter whose "sleep" puts the pulled card back (the collector's hand).
 */
import { hexToBytes } from '../apdu/hex';
import { vehicleClassOf } from '../codec/coded';
import type { Ef0019 } from '../codec/ef0019';
import { PsamDriver } from '../psam/psam-driver';
import type { VirtualEtcCard } from '../sim/etc-card';
import { issueTestCard } from '../sim/test-card';
import { VirtualPsam } from '../sim/virtual-psam';
import { VirtualReader } from '../sim/virtual-reader';
import type { ExitPurchaseConfig } from './config';
import { ExitPurchase, type FeeDecision, isIoError } from './exit-purchase';
import { MemoryJournal, type PurchaseOutcome } from './journal';
import { pollingWaiter } from './waiting';

export const TEST_TERMINAL_ID = '0151000119F8';

export interface RigOptions {
  algorithm: '3des' | 'sm4';
  cardType: 'stored-value' | 'account';
  balance: number;
  serial?: number;
  /** Called each time the waiter polls an empty reader; default: put the pulled card back. */
  onPoll?: (reader: VirtualReader) => void;
  config?: Partial<ExitPurchaseConfig>;
}

export interface Rig {
  card: VirtualEtcCard;
  cardNumber: string;
  issuerId: string;
  cardReader: VirtualReader;
  psamReader: VirtualReader;
  psam: PsamDriver;
  journal: MemoryJournal;
  exit: ExitPurchase;
}

/** TEST exit 0019 record (2019 layout) for the amount. */
export function testExitRecord(amount: number, plate = '苏A12345'): Ef0019 {
  return {
    layout: '2019',
    lock: 0,
    network: '9901',
    station: '0432',
    lane: 0x33,
    time: 0x65f3a000,
    vehicleClass: vehicleClassOf(1),
    status: 0x04,
    gantryId: '000000',
    gantryTime: 0,
    plate,
    plateColour: { raw: 0, code: 0 },
    axles: 2,
    totalWeightKg: 0,
    vehicleStatusFlag: 0xff,
    cumulativeAmount: amount,
  };
}

export function chargeDecision(amount: number): FeeDecision {
  return { action: 'charge', amount: fen(amount), exit0019: testExitRecord(amount) };
}

export async function makeRig(o: RigOptions): Promise<Rig> {
  const issued = issueTestCard({
    cardType: o.cardType,
    algorithm: o.algorithm,
    balance: o.balance,
    serial: o.serial ?? 7,
  });
  const cardReader = new VirtualReader('card');
  cardReader.insert(issued.card);
  const psamReader = new VirtualReader('psam');
  psamReader.insert(new VirtualPsam({ terminalId: hexToBytes(TEST_TERMINAL_ID) }));
  const psam = new PsamDriver(psamReader);
  await psam.open();
  const journal = new MemoryJournal();
  const onPoll =
    o.onPoll ??
    ((r: VirtualReader) => {
      if (r.removedCard) r.insert(r.removedCard);
    });
  const exit = new ExitPurchase({
    card: cardReader,
    psam,
    journal,
    waiter: pollingWaiter({ attempts: 3, sleep: async () => onPoll(cardReader) }),
    config: { clock: () => new Date('2024-03-15T02:30:00Z'), ...o.config },
  });
  return {
    card: issued.card,
    cardNumber: issued.cardNumber,
    issuerId: issued.ef0015.issuerId,
    cardReader,
    psamReader,
    psam,
    journal,
    exit,
  };
}

/** The collector's loop: an interrupted 【读卡】 is simply pressed again once the card is back (three tries). */
export async function exitWithRereads(r: Rig, amount: number): Promise<PurchaseOutcome> {
  for (let i = 0; ; i++) {
    try {
      return await r.exit.exit(() => chargeDecision(amount));
    } catch (e) {
      if (!isIoError(e) || i >= 2) throw e;
      if (!r.cardReader.isCardPresent() && r.cardReader.removedCard)
        r.cardReader.insert(r.cardReader.removedCard);
    }
  }
}
