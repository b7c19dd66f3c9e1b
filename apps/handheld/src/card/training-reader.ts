import { type ApduCard, CardAbsentError, CardIoError, type Reader, type ReaderEvent } from '@tollpad/card';
import type { TrainingFaultAction, TrainingFaultStep } from './reader-hub-types';

/** Which step of the exit an APDU belongs to (for "fail at step" training faults). */
export function stepOf(command: Uint8Array): TrainingFaultStep | null {
  const cla = command[0];
  const ins = command[1];
  if (cla === 0x00 && (ins === 0xb0 || ins === 0xb2)) return 'read';
  if (cla === 0x80 && ins === 0x50) return 'init';
  if (cla === 0x80 && ins === 0x54) return 'debit';
  if (cla === 0x00 && ins === 0xd6) return 'write';
  return null;
}

/**
 * The simulated user-card slot of the training mode: a virtual card in the field, a one-shot fault armed
 * at a step (pull the card, or reload the page), and a hook that saves the card image after every APDU
 * so the card's state survives a reload exactly as a real card would.
 */
export class TrainingReader implements Reader {
  readonly kind = 'simulated' as const;
  readonly name = '模拟读卡器 (训练)';
  private card: ApduCard | null = null;
  private powered = false;
  private readonly listeners = new Map<ReaderEvent, Set<() => void>>();
  fault: { step: TrainingFaultStep; action: TrainingFaultAction } | null = null;

  constructor(
    private readonly afterApdu: () => void,
    private readonly reload: () => void,
  ) {}

  insert(card: ApduCard): void {
    this.card = card;
    this.powered = false;
    this.emit('present');
  }

  remove(): void {
    if (!this.card) return;
    if (this.powered) this.card.powerOff();
    this.card = null;
    this.powered = false;
    this.emit('absent');
  }

  get currentCard(): ApduCard | null {
    return this.card;
  }

  async connect(): Promise<Uint8Array> {
    if (!this.card) throw new CardAbsentError('训练读卡器：无卡');
    const atr = this.card.powerOn();
    this.powered = true;
    return atr;
  }

  async transmit(command: Uint8Array): Promise<Uint8Array> {
    const card = this.card;
    if (!card) throw new CardAbsentError('训练读卡器：无卡');
    if (!this.powered) throw new CardIoError('card not powered');
    const f = this.fault;
    if (f && stepOf(command) === f.step) {
      this.fault = null;
      // A tear at DEBIT or at the CPC write lands after the card committed (the dangerous case); elsewhere before.
      const after = f.step === 'debit' || f.step === 'write';
      if (after) {
        card.transmit(command);
        this.afterApdu();
      }
      if (f.action === 'reload') {
        this.reload();
        // The page is going away: never answer.
        return new Promise<Uint8Array>(() => undefined);
      }
      this.remove();
      throw new CardIoError(`训练：在${f.step}步骤拔卡`);
    }
    const response = card.transmit(command);
    this.afterApdu();
    return response;
  }

  async disconnect(): Promise<void> {
    if (this.card && this.powered) this.card.powerOff();
    this.powered = false;
  }

  isCardPresent(): boolean {
    return this.card !== null;
  }

  on(event: ReaderEvent, listener: () => void): () => void {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    set.add(listener);
    return () => set.delete(listener);
  }

  private emit(event: ReaderEvent): void {
    for (const l of this.listeners.get(event) ?? []) l();
  }
}
