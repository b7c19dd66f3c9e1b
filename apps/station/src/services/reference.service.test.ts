import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../testing/harness';
import { DIALECTS } from '../testing/test-db';

const cardList = (version: string, keys: string[]) =>
  JSON.stringify({ version, entries: keys.map((key) => ({ key, type: 1 })) });

for (const dialect of DIALECTS) {
  describe(`${dialect}: tariff and lists from files, swapped atomically`, () => {
    let h: Harness;
    let dir: string;
    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'tollpad-lists-'));
      writeFileSync(join(dir, 'card.json'), cardList('TEST-V1', ['99010000000000000001']));
      h = await startHarness(dialect, { listsDir: dir }, { reference: undefined });
    });
    afterAll(async () => h?.close());

    it('loads the lists at start and answers with the version', async () => {
      const v = await h.call('GET', '/config/versions', { token: h.tokens.collector });
      expect(v.json().lists.card).toBe('TEST-V1');
      expect(v.json().tariff.version).toMatch(/\S/);
      const hit = h.station.services.reference.snapshot.lists.lookup('card', '99010000000000000001');
      expect(hit).toMatchObject({ type: 1, version: 'TEST-V1' });
    });

    it('swaps in a new version on reload, and keeps the old one when the new file is bad', async () => {
      writeFileSync(join(dir, 'card.json'), cardList('TEST-V2', ['99010000000000000002']));
      const before = h.station.services.reference.snapshot;
      const r = await h.call('POST', '/config/reference/reload', { token: h.tokens.admin });
      expect(r.json().lists.card).toBe('TEST-V2');
      const lists = h.station.services.reference.snapshot.lists;
      expect(lists.lookup('card', '99010000000000000001')).toBeNull();
      expect(lists.lookup('card', '99010000000000000002')).toMatchObject({ version: 'TEST-V2' });
      // A request that took the old snapshot still sees the old lists, whole.
      expect(before.lists.lookup('card', '99010000000000000001')).toMatchObject({ version: 'TEST-V1' });
      writeFileSync(join(dir, 'card.json'), cardList('TEST-V3', ['not-a-card']));
      const bad = await h.call('POST', '/config/reference/reload', { token: h.tokens.admin });
      expect(bad.statusCode).toBe(422);
      expect(bad.json().code).toBe('STN_ERR_CONFIG_REFERENCE_INVALID');
      expect(h.station.services.reference.versions().lists.card).toBe('TEST-V2');
    });
  });
}
