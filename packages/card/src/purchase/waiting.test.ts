import { describe, expect, it } from 'vitest';
import { VirtualReader } from '../sim/virtual-reader';
import { pollingWaiter } from './waiting';

describe('pollingWaiter', () => {
  it('polls isCardPresent until the card is back, within the attempt budget', async () => {
    const reader = new VirtualReader();
    let polls = 0;
    const waiter = pollingWaiter({
      attempts: 5,
      sleep: async () => {
        if (++polls === 3)
          reader.insert({
            powerOn: () => new Uint8Array(2),
            powerOff: () => {},
            transmit: () => new Uint8Array(2),
          });
      },
    });
    expect(await waiter.waitForCard(reader)).toBe(true);
    expect(polls).toBe(3);
  });

  it('gives up after the attempts or the time budget', async () => {
    const reader = new VirtualReader();
    let polls = 0;
    expect(await pollingWaiter({ attempts: 4, sleep: async () => void polls++ }).waitForCard(reader)).toBe(
      false,
    );
    expect(polls).toBe(4);
    let t = 0;
    const byTime = pollingWaiter({
      attempts: 1000,
      intervalMs: 100,
      timeoutMs: 350,
      now: () => t,
      sleep: async (ms) => {
        t += ms;
      },
    });
    expect(await byTime.waitForCard(reader)).toBe(false);
    expect(t).toBe(400);
  });
});
