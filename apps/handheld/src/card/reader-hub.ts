import { createWebSocketReader, type Reader, type WebSocketReader } from '@tollpad/card';
import { VirtualCpc, VirtualEtcCard } from '@tollpad/card/sim';
import type {
  ReaderChoice,
  ReaderHub,
  ReaderStatus,
  TrainingFaultAction,
  TrainingFaultStep,
  TrainingVehicle,
} from './reader-hub-types';
import {
  clearTrainingCard,
  DRIVER_CARD_KEY,
  issueDriverCard,
  issueTrainingCard,
  loadTrainingCard,
  saveTrainingCard,
  TRAINING_DRIVER_CARDS,
  TRAINING_PROFILES,
} from './training-cards';
import {
  clearTrainingCpc,
  issueTrainingCpc,
  loadTrainingCpc,
  saveTrainingCpc,
  TRAINING_CPC_PROFILES,
} from './training-cpcs';
import { TrainingReader } from './training-reader';

const CHOICE_KEY = 'tollpad.reader';
const PRESENT_KEY = 'tollpad.training-card-present';
/** Set while the driver's own ETC card (payment only) is on the reader instead of the vehicle's card. */
const DRIVER_IN_FIELD_KEY = 'tollpad.training-driver-in-field';

export class DefaultReaderHub implements ReaderHub {
  private readonly training: TrainingReader;
  private ws: WebSocketReader | null = null;
  private state: ReaderStatus;
  private readonly listeners = new Set<(s: ReaderStatus) => void>();
  private profileId: string;
  private wsUnsub: (() => void)[] = [];
  /** The driver's TEST ETC card on the reader (payment only), kept apart from the vehicle's card. */
  private driverCard: { id: string; card: VirtualEtcCard } | null = null;

  constructor(
    private readonly stationHex: () => string | null,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.training = new TrainingReader(
      () => this.persist(),
      () => location.reload(),
    );
    const restored = loadTrainingCard() ?? loadTrainingCpc();
    this.profileId = restored?.profile ?? 'car';
    const driver = localStorage.getItem(DRIVER_IN_FIELD_KEY) ? loadTrainingCard(DRIVER_CARD_KEY) : null;
    if (driver) this.driverCard = { id: driver.profile, card: driver.card };
    // The card comes back into the field after a reload only if it was there before (the driver's card if
    // it was the one on the reader: a debit torn by the reload is proved on it).
    const inField = this.driverCard?.card ?? restored?.card;
    if (inField && localStorage.getItem(PRESENT_KEY) !== '0') this.training.insert(inField);
    const saved = safeJson<{ choice: ReaderChoice; url: string }>(localStorage.getItem(CHOICE_KEY));
    this.state = {
      choice: 'simulated',
      name: this.training.name,
      linked: true,
      cardPresent: this.training.isCardPresent(),
      vehicle: this.vehicleOf(this.profileId),
      websocketUrl: saved?.url ?? 'ws://127.0.0.1:8765',
      fault: null,
      error: null,
    };
    this.training.on('present', () => this.update({}));
    this.training.on('absent', () => this.update({}));
    if (saved?.choice === 'websocket') void this.choose('websocket', saved.url);
  }

  private vehicleOf(id: string): TrainingVehicle | null {
    const p = TRAINING_PROFILES.find((x) => x.id === id) ?? TRAINING_CPC_PROFILES.find((x) => x.id === id);
    return p
      ? {
          id: p.id,
          medium: p.medium,
          label: p.label,
          actualPlate: p.actualPlate,
          actualColour: p.actualColour,
        }
      : null;
  }

  private persist(): void {
    const card = this.training.currentCard;
    if (this.driverCard && card === this.driverCard.card)
      saveTrainingCard(this.driverCard.id, this.driverCard.card, DRIVER_CARD_KEY);
    else if (card instanceof VirtualEtcCard) saveTrainingCard(this.profileId, card);
    else if (card instanceof VirtualCpc) saveTrainingCpc(this.profileId, card);
  }

  private update(patch: Partial<ReaderStatus>): void {
    this.state = { ...this.state, ...patch };
    // Presence of the reader now active (after the patch: a switch of reader changes it).
    this.state = { ...this.state, cardPresent: this.reader().isCardPresent(), fault: this.training.fault };
    try {
      localStorage.setItem(PRESENT_KEY, this.training.isCardPresent() ? '1' : '0');
    } catch {
      // ignore
    }
    for (const l of this.listeners) l(this.state);
  }

  status(): ReaderStatus {
    return this.state;
  }

  subscribe(listener: (s: ReaderStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  reader(): Reader {
    return this.state.choice === 'websocket' && this.ws ? this.ws : this.training;
  }

  async choose(choice: ReaderChoice, websocketUrl?: string): Promise<void> {
    for (const u of this.wsUnsub) u();
    this.wsUnsub = [];
    if (choice === 'simulated') {
      this.ws = null;
      localStorage.setItem(CHOICE_KEY, JSON.stringify({ choice, url: this.state.websocketUrl }));
      this.update({ choice, name: this.training.name, linked: true, error: null });
      return;
    }
    const url = websocketUrl ?? this.state.websocketUrl;
    localStorage.setItem(CHOICE_KEY, JSON.stringify({ choice, url }));
    try {
      this.ws?.client.close();
      // Card slot of the bridge; the PSAM stays the handheld's own ([P] a bridge PSAM slot could be used).
      const r = createWebSocketReader(url, 'card', { timeoutMs: 5000 });
      this.ws = r;
      this.wsUnsub.push(
        r.on('present', () => this.update({})),
        r.on('absent', () => this.update({})),
      );
      await r.client.open();
      this.update({ choice, name: r.name, websocketUrl: url, linked: true, error: null });
    } catch (e) {
      this.ws = null;
      this.update({
        choice: 'simulated',
        name: this.training.name,
        linked: true,
        error: `读卡桥连接失败（${(e as Error).message}），已切回模拟读卡器`,
      });
    }
  }

  trainingVehicles(): readonly TrainingVehicle[] {
    return [...TRAINING_PROFILES, ...TRAINING_CPC_PROFILES].flatMap((p) => this.vehicleOf(p.id) ?? []);
  }

  /**
   * Issues a fresh TEST card for the vehicle (a new vehicle at the lane) and puts it in the field: an ETC
   * card, or a CPC written by the synthetic entry and gantries.
   */
  selectVehicle(id: string): void {
    const etc = TRAINING_PROFILES.find((x) => x.id === id);
    const cpc = TRAINING_CPC_PROFILES.find((x) => x.id === id);
    if (!etc && !cpc) return;
    this.training.remove();
    clearTrainingCard();
    clearTrainingCpc();
    // A new vehicle: its driver has not handed over any card yet.
    this.driverCard = null;
    clearTrainingCard(DRIVER_CARD_KEY);
    localStorage.removeItem(DRIVER_IN_FIELD_KEY);
    this.profileId = id;
    const hex = this.stationHex() ?? '37000101';
    if (etc) {
      const card = issueTrainingCard(etc, hex, this.now());
      saveTrainingCard(id, card);
      this.training.insert(card);
      this.update({ vehicle: this.vehicleOf(id) });
    } else if (cpc) {
      this.update({ vehicle: this.vehicleOf(id) });
      // The trip is planned on the synthetic province first (its own chunk): the card arrives a moment later.
      void issueTrainingCpc(cpc, hex, this.now())
        .then((card) => {
          if (this.profileId !== id) return;
          saveTrainingCpc(id, card);
          this.training.insert(card);
        })
        .catch((e: unknown) =>
          this.update({ error: `训练CPC卡生成失败（${e instanceof Error ? e.message : String(e)}）` }),
        );
    }
  }

  insertCard(): void {
    if (this.training.isCardPresent()) return;
    // The card pulled out is put back: the driver's, while it is the one in use.
    const restored = this.driverCard ?? loadTrainingCard() ?? loadTrainingCpc();
    if (restored) this.training.insert(restored.card);
    else this.selectVehicle(this.profileId);
    this.update({});
  }

  removeCard(): void {
    this.persist();
    this.training.remove();
    this.update({});
  }

  armFault(fault: { step: TrainingFaultStep; action: TrainingFaultAction } | null): void {
    this.training.fault = fault;
    this.update({});
  }

  driverCards(): readonly { id: string; label: string }[] {
    return TRAINING_DRIVER_CARDS.map(({ id, label }) => ({ id, label }));
  }

  handOverDriverCard(id: string): void {
    // The same driver's card again keeps its state (its balance, a debit to prove); another is issued new.
    const kept = loadTrainingCard(DRIVER_CARD_KEY);
    const card = kept?.profile === id ? kept.card : issueDriverCard(id);
    if (!card) return;
    this.persist();
    this.training.remove();
    this.driverCard = { id, card };
    saveTrainingCard(id, card, DRIVER_CARD_KEY);
    localStorage.setItem(DRIVER_IN_FIELD_KEY, '1');
    this.training.insert(card);
    this.update({});
  }

  returnVehicleCard(): void {
    this.persist();
    this.training.remove();
    this.driverCard = null;
    localStorage.removeItem(DRIVER_IN_FIELD_KEY);
    const restored = loadTrainingCpc() ?? loadTrainingCard();
    if (restored) this.training.insert(restored.card);
    this.update({});
  }

  waitForCard(signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.reader().isCardPresent()) {
        resolve();
        return;
      }
      // Poll as well as listen: an insertion event alone can be missed.
      const timer = setInterval(check, 250);
      const off = this.subscribe(check);
      function cleanup() {
        clearInterval(timer);
        off();
      }
      const self = this;
      function check() {
        if (self.reader().isCardPresent()) {
          cleanup();
          resolve();
        }
      }
      signal?.addEventListener('abort', () => {
        cleanup();
        reject(new DOMException('aborted', 'AbortError'));
      });
    });
  }
}

function safeJson<T>(s: string | null): T | null {
  if (!s) return null;
  try {
    return JSON.parse(s) as T;
  } catch {
    return null;
  }
}
