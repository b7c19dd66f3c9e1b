import { PNG } from 'pngjs';
import { afterEach, describe, expect, it } from 'vitest';
import { craftedPng, zerosZlib } from '../testing/image-bombs';
import { TEST_PNG } from '../testing/sim-handheld';
import { DECODER_LIMITS, ImageDecoder } from './image-decoder';

describe('image decoder thread', () => {
  const decoders: ImageDecoder[] = [];
  const make = (limits = DECODER_LIMITS) => {
    const d = new ImageDecoder(limits, 16);
    decoders.push(d);
    return d;
  };
  afterEach(async () => {
    for (const d of decoders.splice(0)) await d.close();
  });

  it('decodes on its thread and answers the size and a thumbnail', async () => {
    const t = await make().thumbnail(TEST_PNG, 'image/png');
    expect([t.width, t.height]).toEqual([64, 48]);
    expect(PNG.sync.read(t.thumb).width).toBe(16);
  });

  it('refuses a photo it cannot decode as corrupt, and decodes the next one', async () => {
    const d = make();
    const garbage = craftedPng({ width: 64, height: 48, interlaced: false, idat: Buffer.from('not zlib') });
    await expect(d.thumbnail(garbage, 'image/png')).rejects.toMatchObject({ code: 'STN_ERR_IMAGE_CORRUPT' });
    expect((await d.thumbnail(TEST_PNG, 'image/png')).width).toBe(64);
  });

  it('refuses photos beyond its queue as busy instead of queueing them', async () => {
    const d = make({ ...DECODER_LIMITS, maxQueued: 1 });
    const first = d.thumbnail(TEST_PNG, 'image/png'); // on the thread
    const second = d.thumbnail(TEST_PNG, 'image/png'); // queued
    await expect(d.thumbnail(TEST_PNG, 'image/png')).rejects.toMatchObject({ code: 'STN_ERR_IMAGE_BUSY' });
    expect((await first).width).toBe(64);
    expect((await second).width).toBe(64);
  });

  it('ends a thread that outlives its time, refusing that photo only; the next gets a new thread', async () => {
    const limits = { ...DECODER_LIMITS, timeoutMs: 0 }; // expires before the thread has even started
    const d = make(limits);
    const slow = craftedPng({ width: 4000, height: 3000, interlaced: false, idat: zerosZlib(8) });
    await expect(d.thumbnail(slow, 'image/png')).rejects.toMatchObject({ code: 'STN_ERR_IMAGE_CORRUPT' });
    limits.timeoutMs = DECODER_LIMITS.timeoutMs;
    expect((await d.thumbnail(TEST_PNG, 'image/png')).width).toBe(64);
  });
});
