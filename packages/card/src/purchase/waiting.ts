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
  /** Overall budget in ms (checked with `now`), on top of the attempt count. */
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function pollingWaiter(options: PollingWaiterOptions = {}): CardWaiter {
  const attempts = options.attempts ?? 40;
  const interval = options.intervalMs ?? 250;
  const sleep = options.sleep ?? defaultSleep;
  const now = options.now ?? (() => Date.now());
  return {
    async waitForCard(reader) {
      const deadline = options.timeoutMs === undefined ? Number.POSITIVE_INFINITY : now() + options.timeoutMs;
      for (let i = 0; i < attempts && now() < deadline; i++) {
        if (reader.isCardPresent()) return true;
        await sleep(interval);
      }
      return reader.isCardPresent();
    },
  };
}
