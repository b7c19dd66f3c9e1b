/**
 * How the purchase waits for the card to come back after an interruption: poll `isCardPresent` a bounded
 * number of times (an insertion event alone can be missed, so it is never the only signal).
 */
import type { Reader } from '../reader/reader';

export interface CardWaiter {
  /** Resolves true once a card is present, false when the budget is spent. */
  waitForCard(reader: Reader): Promise<boolean>;
}

export interface PollingWaiterOptions {
  attempts?: number;
  intervalMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function pollingWaiter(options: PollingWaiterOptions = {}): CardWaiter {
  const attempts = options.attempts ?? 40;
  const interval = options.intervalMs ?? 250;
  const sleep = options.sleep ?? defaultSleep;
  return {
    async waitForCard(reader) {
      for (let i = 0; i < attempts; i++) {
        if (reader.isCardPresent()) return true;
        await sleep(interval);
      }
      return reader.isCardPresent();
    },
  };
}
