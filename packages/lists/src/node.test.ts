import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeFullList } from './binary-format';
import { loadListFile, writeListFile } from './node';
import { ListStore } from './store';
import { generateCardIndex } from './synthetic';

describe('@tollpad/lists/node', () => {
  const dirP = mkdtemp(join(tmpdir(), 'tollpad-lists-test-'));
  afterAll(async () => rm(await dirP, { recursive: true, force: true }));

  it('writes and loads a list file; a missing file is a typed error and changes nothing', async () => {
    const dir = await dirP;
    const index = generateCardIndex({ count: 1000, seed: 6, version: 'v7' });
    await writeListFile(join(dir, 'card.tpsl'), encodeFullList(index));
    const store = new ListStore();
    const r = await loadListFile(store, join(dir, 'card.tpsl'));
    expect(r.ok && r.value.equals(index)).toBe(true);
    expect(await loadListFile(store, join(dir, 'missing.tpsl'))).toMatchObject({
      ok: false,
      error: { code: 'LIST_FORMAT' },
    });
    expect(store.versions()).toEqual({ card: 'v7' });
  });
});
