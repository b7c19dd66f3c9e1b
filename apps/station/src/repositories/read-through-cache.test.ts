import { describe, expect, it } from 'vitest';
import { ReadThroughCache } from './read-through-cache';

describe('ReadThroughCache', () => {
  it('reads once, then answers from memory', async () => {
    const cache = new ReadThroughCache<string, number>();
    let loads = 0;
    const load = async () => ++loads;
    expect(await cache.read('a', load)).toBe(1);
    expect(await cache.read('a', load)).toBe(1);
    expect(loads).toBe(1);
  });

  it('keeps nothing of a read that was in flight when the value was forgotten', async () => {
    const cache = new ReadThroughCache<string, string>();
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    const stale = cache.read('lane', async () => {
      await held;
      return 'before the change';
    });
    cache.forget('other'); // any forget: the read may have seen the row before the change
    release();
    expect(await stale).toBe('before the change');
    expect(await cache.read('lane', async () => 'after the change')).toBe('after the change');
  });

  it('reads again when the kept value is no longer fresh, or was forgotten', async () => {
    const cache = new ReadThroughCache<string, { v: number; fresh: boolean }>();
    await cache.read('k', async () => ({ v: 1, fresh: false }));
    const again = await cache.read(
      'k',
      async () => ({ v: 2, fresh: true }),
      (x) => x.fresh,
    );
    expect(again.v).toBe(2);
    cache.forget('k');
    expect((await cache.read('k', async () => ({ v: 3, fresh: true }))).v).toBe(3);
  });

  it('keeps nothing for an undefined answer or a load that throws', async () => {
    const cache = new ReadThroughCache<string, number>();
    expect(await cache.read('k', async () => undefined)).toBeUndefined();
    await expect(
      cache.read('k', async () => {
        throw new Error('database down');
      }),
    ).rejects.toThrow('database down');
    expect(await cache.read('k', async () => 7)).toBe(7);
  });

  it('starts again empty when full', async () => {
    const cache = new ReadThroughCache<number, number>(2);
    let loads = 0;
    for (const k of [1, 2, 3, 1]) await cache.read(k, async () => ++loads);
    // 1 and 2 kept; 3 found it full (cleared, then kept); 1 was read again.
    expect(loads).toBe(4);
  });
});
