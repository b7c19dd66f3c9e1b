import type { Reader, ReaderEvent } from '@tollpad/card';

/** The handheld process died (simulated): nothing it holds in memory survives. */
export class HandheldCrash extends Error {
  constructor() {
    super('handheld restarted (simulated crash)');
    this.name = 'HandheldCrash';
  }
}

/** DEBIT FOR CAPP PURCHASE: CLA 80, INS 54. */
const isDebit = (c: Uint8Array) => c[0] === 0x80 && c[1] === 0x54;

/**
 * The handheld's side of the card slot, with a "restart mid-debit" switch: at the DEBIT command the handheld
 * dies either just before sending it (`before`: the card is untouched) or just after the card executed it
 * (`after`: the card is debited, the answer is lost). From then on this reader is dead, like everything else
 * the crashed process held; the restarted handheld opens a new one on the same card.
 */
export class CrashableReader implements Reader {
  readonly kind = 'simulated' as const;
  dead = false;
  crashAt: 'before' | 'after' | null = null;

  constructor(private readonly inner: Reader) {}

  get name(): string {
    return this.inner.name;
  }

  connect(): Promise<Uint8Array> {
    if (this.dead) return Promise.reject(new HandheldCrash());
    return this.inner.connect();
  }

  async transmit(command: Uint8Array): Promise<Uint8Array> {
    if (this.dead) throw new HandheldCrash();
    if (this.crashAt && isDebit(command)) {
      const at = this.crashAt;
      this.crashAt = null;
      if (at === 'after') await this.inner.transmit(command);
      this.dead = true;
      throw new HandheldCrash();
    }
    return this.inner.transmit(command);
  }

  disconnect(): Promise<void> {
    return this.inner.disconnect();
  }

  isCardPresent(): boolean {
    return !this.dead && this.inner.isCardPresent();
  }

  on(event: ReaderEvent, listener: () => void): () => void {
    return this.inner.on(event, listener);
  }
}
