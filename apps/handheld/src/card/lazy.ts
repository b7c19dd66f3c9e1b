import type { PendingEntry, PurchaseJournal, PurchaseOutcome, Reader, RecoveryResult } from '@tollpad/card';
import type { PendingDebit } from '../journal/idb-journal';
import type { CardDesk, CardRead, PurchaseHooks, PurchaseRequest, PurchaseStep } from './card-desk';
import type { CpcDesk, CpcRead, CpcWriteOutcome } from './cpc-desk';
import type { PayCardDesk, PayCardRead } from './pay-card-desk';
import type {
  ReaderChoice,
  ReaderHub,
  ReaderStatus,
  TrainingFaultAction,
  TrainingFaultStep,
  TrainingVehicle,
} from './reader-hub-types';

const LOADING: ReaderStatus = {
  choice: 'simulated',
  name: '读卡器加载中',
  linked: false,
  cardPresent: false,
  vehicle: null,
  websocketUrl: '',
  fault: null,
  error: null,
};

/** The reader hub before and after the card chunk has loaded: screens can subscribe at once. */
export class LazyReaderHub implements ReaderHub {
  private real: ReaderHub | null = null;
  private readonly listeners = new Set<(s: ReaderStatus) => void>();
  private readonly unsubs = new Map<(s: ReaderStatus) => void, () => void>();

  constructor(readonly ready: Promise<ReaderHub>) {
    void ready.then((hub) => {
      this.real = hub;
      for (const l of this.listeners) {
        this.unsubs.set(l, hub.subscribe(l));
        l(hub.status());
      }
    });
  }

  status(): ReaderStatus {
    return this.real?.status() ?? LOADING;
  }

  subscribe(listener: (s: ReaderStatus) => void): () => void {
    this.listeners.add(listener);
    if (this.real) this.unsubs.set(listener, this.real.subscribe(listener));
    return () => {
      this.listeners.delete(listener);
      this.unsubs.get(listener)?.();
      this.unsubs.delete(listener);
    };
  }

  reader(): Reader {
    if (!this.real) throw new Error('card layer not loaded yet');
    return this.real.reader();
  }

  async choose(choice: ReaderChoice, websocketUrl?: string): Promise<void> {
    await (await this.ready).choose(choice, websocketUrl);
  }

  trainingVehicles(): readonly TrainingVehicle[] {
    return this.real?.trainingVehicles() ?? [];
  }

  selectVehicle(id: string): void {
    void this.ready.then((h) => h.selectVehicle(id));
  }

  insertCard(): void {
    void this.ready.then((h) => h.insertCard());
  }

  removeCard(): void {
    void this.ready.then((h) => h.removeCard());
  }

  armFault(fault: { step: TrainingFaultStep; action: TrainingFaultAction } | null): void {
    void this.ready.then((h) => h.armFault(fault));
  }

  async waitForCard(signal?: AbortSignal): Promise<void> {
    await (await this.ready).waitForCard(signal);
  }

  driverCards(): readonly { id: string; label: string }[] {
    return this.real?.driverCards?.() ?? [];
  }

  handOverDriverCard(id: string): void {
    void this.ready.then((h) => h.handOverDriverCard?.(id));
  }

  returnVehicleCard(): void {
    void this.ready.then((h) => h.returnVehicleCard?.());
  }
}

/** The card desk, resolved from the card chunk on first use. */
export class LazyCardDesk implements CardDesk {
  constructor(private readonly ready: Promise<CardDesk>) {}

  async read(): Promise<CardRead> {
    return (await this.ready).read();
  }

  async purchase(req: PurchaseRequest, hooks: PurchaseHooks): Promise<PendingDebit> {
    return (await this.ready).purchase(req, hooks);
  }

  async recover(pending: PendingDebit, onStep?: (s: PurchaseStep) => void): Promise<PendingDebit> {
    return (await this.ready).recover(pending, onStep);
  }
}

/** The CPC desk, resolved from the card chunk on first use. */
export class LazyCpcDesk implements CpcDesk {
  constructor(private readonly ready: Promise<CpcDesk>) {}

  async read(): Promise<CpcRead> {
    return (await this.ready).read();
  }

  async close(cpcId: string): Promise<CpcWriteOutcome> {
    return (await this.ready).close(cpcId);
  }
}

/** The driver's ETC card as payment card, resolved from the card chunk on first use. */
export class LazyPayCardDesk implements PayCardDesk {
  constructor(private readonly ready: Promise<PayCardDesk>) {}

  async read(): Promise<PayCardRead> {
    return (await this.ready).read();
  }

  async debit(req: { cardNo: string; amount: number }, journal: PurchaseJournal): Promise<PurchaseOutcome> {
    return (await this.ready).debit(req, journal);
  }

  async recover(entry: PendingEntry, journal: PurchaseJournal): Promise<RecoveryResult> {
    return (await this.ready).recover(entry, journal);
  }
}
