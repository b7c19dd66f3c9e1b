import {
  applyDelta,
  buildIndex,
  decodeList,
  encodeDeltaList,
  makeDelta,
  type StatusIndex,
} from '@tollpad/lists';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCentre } from '../centre';
import { loadConfig } from '../config';
import { type Harness, startHarness } from '../testing/harness';
import { DIALECTS } from '../testing/test-db';

const TEST_CARD = '99010000000000000042'; // TEST card of the synthetic network 9901

function decodeFull(bytes: Buffer): StatusIndex {
  const d = decodeList(new Uint8Array(bytes));
  if (!d.ok || d.value.type !== 'full') throw new Error('not a full list');
  return d.value.index;
}

describe.each(DIALECTS)('status-list publication on %s', (dialect) => {
  let h: Harness;
  let v0: string;

  beforeAll(async () => {
    h = await startHarness(dialect);
  });
  afterAll(async () => h?.close());

  it('publishes a seeded full version of every kind at start', async () => {
    const lists = (await h.call('GET', '/lists')).json().lists as {
      kind: string;
      version: string;
      count: number;
    }[];
    const card = lists.find((l) => l.kind === 'card')!;
    expect(card.count).toBe(200);
    // 2026-11-23T08:00Z is 16:00 in Beijing: a 5-minute slot label.
    expect(card.version).toBe('202611231600');
    v0 = card.version;
    expect(lists.find((l) => l.kind === 'obu')).toMatchObject({ count: 0, version: '202611231600' });
    const full = await h.call('GET', '/lists/card/full/latest');
    expect(full.statusCode).toBe(200);
    expect(full.headers['content-type']).toBe('application/octet-stream');
    expect(full.headers['x-list-version']).toBe(v0);
    expect(decodeFull(full.rawPayload).count).toBe(200);
  });

  it('cuts deltas with increasing version numbers that rebuild the list from the full version', async () => {
    const base = decodeFull((await h.call('GET', '/lists/card/full/latest')).rawPayload);
    const { decodeCardKey } = await import('@tollpad/lists');
    const removed = decodeCardKey(base.hi[0]!, base.lo[0]!);
    const q = await h.call('POST', '/lists/card/changes', {
      body: {
        changes: [
          { key: TEST_CARD, type: 1, action: 'add', issuer: '9901' },
          { key: removed, type: 0, action: 'remove' },
        ],
      },
    });
    expect(q.json()).toEqual({ queued: 2 });
    const cut1 = (await h.call('POST', '/lists/card/cut')).json().published;
    // The 16:00 slot is taken by the full version: the delta gets the next slot.
    expect(cut1).toMatchObject({
      type: 'delta',
      baseVersion: v0,
      version: '202611231605',
      added: 1,
      removed: 1,
    });
    expect((await h.call('POST', '/lists/card/cut')).json().published).toBeNull();

    h.clock.now = new Date('2026-11-23T08:12:00.000Z');
    await h.call('POST', '/lists/card/changes', {
      body: { changes: [{ key: TEST_CARD, type: 4, action: 'add' }] },
    });
    const cut2 = (await h.call('POST', '/lists/card/cut')).json().published;
    expect(cut2).toMatchObject({
      baseVersion: '202611231605',
      version: '202611231610',
      added: 1,
      removed: 0,
    });

    const chain = (await h.call('GET', `/lists/card/versions?since=${v0}`)).json();
    expect(chain.current).toBe('202611231610');
    expect(chain.versions.map((v: { version: string }) => v.version)).toEqual([
      '202611231605',
      '202611231610',
    ]);

    let index = base;
    for (const v of chain.versions as { version: string }[]) {
      const file = await h.call('GET', `/lists/card/deltas/${v.version}`);
      const d = decodeList(new Uint8Array(file.rawPayload));
      if (!d.ok || d.value.type !== 'delta') throw new Error('not a delta');
      const next = applyDelta(index, d.value.delta);
      if (!next.ok) throw next.error;
      index = next.value;
    }
    expect(index.version).toBe('202611231610');
    expect(index.lookup(TEST_CARD)?.type).toBe(4);
    expect(index.has(removed)).toBe(false);
    expect(index.count).toBe(200);
    const hit = (await h.call('GET', `/lists/card/lookup/${TEST_CARD}`)).json();
    expect(hit).toMatchObject({ version: '202611231610', hit: { type: 4, reason: '账户透支' } });
    expect((await h.call('GET', `/lists/card/lookup/${removed}`)).json().hit).toBeNull();
  });

  it('withdraws an entry that a delta added: the remove is in the next delta and the next full version', async () => {
    const added = '99010000000000000077'; // TEST card, absent from the seeded full version
    h.clock.now = new Date('2026-11-23T08:20:00.000Z');
    await h.call('POST', '/lists/card/changes', {
      body: { changes: [{ key: added, type: 2, action: 'add' }] },
    });
    const put = (await h.call('POST', '/lists/card/cut')).json().published;
    expect(put).toMatchObject({ added: 1, removed: 0 });
    expect((await h.call('GET', `/lists/card/lookup/${added}`)).json().hit).toMatchObject({ type: 2 });

    h.clock.now = new Date('2026-11-23T08:25:00.000Z');
    await h.call('POST', '/lists/card/changes', {
      body: { changes: [{ key: added, type: 0, action: 'remove' }] },
    });
    const withdrawn = (await h.call('POST', '/lists/card/cut')).json().published;
    expect(withdrawn).toMatchObject({ type: 'delta', baseVersion: put.version, added: 0, removed: 1 });
    expect((await h.call('GET', `/lists/card/lookup/${added}`)).json().hit).toBeNull();

    // A station that applies the delta file no longer finds the card either.
    const file = await h.call('GET', `/lists/card/deltas/${withdrawn.version}`);
    const d = decodeList(new Uint8Array(file.rawPayload));
    if (!d.ok || d.value.type !== 'delta') throw new Error('not a delta');
    expect(d.value.delta.rmHi.length).toBe(1);

    const full = (await h.call('POST', '/lists/card/publish-full')).json();
    expect(full).toMatchObject({ type: 'full', version: withdrawn.version });
    const fullFile = decodeFull((await h.call('GET', `/lists/card/full/${withdrawn.version}`)).rawPayload);
    expect(fullFile.has(added)).toBe(false);
  });

  it('refuses an upstream delta with a version gap and keeps it; the contiguous one applies', async () => {
    const current = (await h.call('GET', '/lists'))
      .json()
      .lists.find((l: { kind: string }) => l.kind === 'obu');
    const idx = buildIndex('obu', current.version, []);
    if (!idx.ok) throw idx.error;
    const obu = { hi: Uint32Array.of(0x37010203), lo: Uint32Array.of(0x04050607), types: Uint8Array.of(2) };
    const none = { hi: new Uint32Array(0), lo: new Uint32Array(0) };
    const gap = makeDelta('obu', '202611230000', '202611231800', obu, none);
    if (!gap.ok) throw gap.error;
    const refused = await h.call('POST', '/lists/obu/files', {
      payload: Buffer.from(encodeDeltaList(gap.value)),
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('CTR_ERR_LIST_VERSION_GAP');
    const kept = (await h.call('GET', '/rejected?kind=list')).json().rejected as {
      code: string;
      body: string;
    }[];
    const row = kept.find((r) => r.code === 'CTR_ERR_LIST_VERSION_GAP');
    expect(row).toBeDefined();
    expect(Buffer.from(row!.body, 'base64')).toEqual(Buffer.from(encodeDeltaList(gap.value)));
    expect((await h.call('GET', '/lists/obu/lookup/3701020304050607')).json().hit).toBeNull();

    const good = makeDelta('obu', current.version, '202611231800', obu, none);
    if (!good.ok) throw good.error;
    const accepted = await h.call('POST', '/lists/obu/files', {
      payload: Buffer.from(encodeDeltaList(good.value)),
    });
    expect(accepted.statusCode).toBe(201);
    expect(accepted.json()).toMatchObject({ type: 'delta', version: '202611231800', source: 'upstream' });
    expect((await h.call('GET', '/lists/obu/lookup/3701020304050607')).json().hit).toMatchObject({ type: 2 });

    const corrupt = Buffer.from(encodeDeltaList(good.value));
    corrupt.writeUInt8(corrupt.readUInt8(corrupt.length - 1) ^ 0xff, corrupt.length - 1);
    const bad = await h.call('POST', '/lists/obu/files', { payload: corrupt });
    expect(bad.json().code).toBe('CTR_ERR_LIST_INVALID');
    expect((await h.call('GET', '/lists/nope/versions')).json().code).toBe('CTR_ERR_LIST_UNKNOWN_KIND');
  });

  it('takes an upstream full file newer than the version in force and refuses a stale one', async () => {
    const { encodeFullList } = await import('@tollpad/lists');
    const fresh = buildIndex('vehicle-chase', '202611231900', [{ key: '苏A12345_0', type: 1 }]);
    const stale = buildIndex('vehicle-chase', '202601010000', [{ key: '苏A99999_0', type: 1 }]);
    if (!fresh.ok || !stale.ok) throw new Error('index');
    const ok = await h.call('POST', '/lists/vehicle-chase/files', {
      payload: Buffer.from(encodeFullList(fresh.value)),
    });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({
      type: 'full',
      version: '202611231900',
      entryCount: 1,
      source: 'upstream',
    });
    expect((await h.call('GET', '/lists/vehicle-chase/lookup/苏A12345_0')).json().hit).toMatchObject({
      type: 1,
    });
    const old = await h.call('POST', '/lists/vehicle-chase/files', {
      payload: Buffer.from(encodeFullList(stale.value)),
    });
    expect(old.statusCode).toBe(422);
    expect(old.json().code).toBe('CTR_ERR_LIST_INVALID');
    // A file of another kind posted under this kind is refused.
    const wrongKind = await h.call('POST', '/lists/obu/files', {
      payload: Buffer.from(encodeFullList(fresh.value)),
    });
    expect(wrongKind.json().code).toBe('CTR_ERR_LIST_INVALID');
  });

  it('refuses malformed changes and keeps them', async () => {
    const res = await h.call('POST', '/lists/card/changes', {
      body: { changes: [{ key: 'not-a-card', type: 1, action: 'add' }] },
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('CTR_ERR_LIST_INVALID');
    expect(res.json().rejectionId).toBeGreaterThan(0);
  });

  it('rebuilds the lists in force from the stored versions after a restart', async () => {
    const again = await createCentre({
      config: {
        ...loadConfig({}),
        databaseUrl: h.db.databaseUrl,
        dataDir: h.db.dataDir,
        listDeltaMinutes: 0,
        plainHttp: true,
      },
      logger: false,
      now: () => h.clock.now,
    });
    try {
      expect(again.services.lists.versionsInForce()).toEqual(h.centre.services.lists.versionsInForce());
      expect(again.services.lists.lookup('card', TEST_CARD)?.type).toBe(4);
      expect(again.services.tariffs.list().current).toBe(h.centre.services.tariffs.list().current);
    } finally {
      await again.close();
    }
  });
});
