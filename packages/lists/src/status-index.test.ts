import { mulberry32 } from '@tollpad/domain';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeList, encodeDeltaList, encodeFullList } from './binary-format';
import { applyDelta, diffIndexes } from './delta';
import { decodeCardKey } from './keys';
import { buildIndex, type ListEntry, StatusIndex } from './status-index';
import { ListStore } from './store';
import { generateCardDelta, generateCardIndex, randomCardNumber } from './synthetic';

function build(version: string, entries: ListEntry[]): StatusIndex {
  const r = buildIndex('card', version, entries, 'TEST DATA');
  if (!r.ok) throw r.error;
  return r.value;
}

const entriesArb = (seed: number, n: number): ListEntry[] => {
  const rnd = mulberry32(seed);
  return Array.from({ length: n }, () => ({ key: randomCardNumber(rnd), type: 1 + Math.floor(rnd() * 7) }));
};

describe('StatusIndex', () => {
  it('lookups agree with a plain Set on random data', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 0, max: 3000 }), fc.integer(), (seed, n, qseed) => {
        const entries = entriesArb(seed, n);
        const idx = build('v1', entries);
        const set = new Map(entries.map((e) => [e.key, e.type]));
        expect(idx.count).toBe(set.size);
        const rnd = mulberry32(qseed);
        for (let i = 0; i < 200; i++) {
          const q = i % 2 === 0 && n > 0 ? entries[Math.floor(rnd() * n)]!.key : randomCardNumber(rnd);
          const hit = idx.lookup(q);
          expect(hit !== null).toBe(set.has(q));
          if (hit) expect(hit.type).toBe(set.get(q));
        }
      }),
      { numRuns: 40 },
    );
  });

  it('finds every key of a clustered 300k-entry list and no absent neighbour', () => {
    const idx = generateCardIndex({ count: 300_000, seed: 4 });
    const rnd = mulberry32(8);
    for (let i = 0; i < 20_000; i++) {
      const p = Math.floor(rnd() * idx.count);
      expect(idx.find(idx.hi[p]!, idx.lo[p]!)).toBe(p);
      // The key just after p's (lo + 1) is absent unless it is the next entry.
      const l = idx.lo[p]! + 1;
      const next = p + 1 < idx.count && idx.hi[p + 1] === idx.hi[p] && idx.lo[p + 1] === l;
      if (l < 2 ** 32 && !next) expect(idx.find(idx.hi[p]!, l)).toBe(-(p + 1) - 1);
    }
  });

  it('returns type, reason text and the answering version', () => {
    const idx = build('202401171505', [{ key: '37012204232353169389', type: 1 }]);
    expect(idx.lookup('37012204232353169389')).toEqual({
      kind: 'card',
      type: 1,
      reason: '卡挂失',
      version: '202401171505',
    });
    expect(idx.lookup('37012204232353169388')).toBeNull();
    expect(idx.lookup('not a card')).toBeNull();
  });

  it('keeps the last of duplicate keys', () => {
    const idx = build('v', [
      { key: '37012204232353169389', type: 1 },
      { key: '37012204232353169389', type: 4 },
    ]);
    expect(idx.count).toBe(1);
    expect(idx.lookup('37012204232353169389')?.type).toBe(4);
  });

  it('rejects bad keys and types with typed errors', () => {
    expect(buildIndex('card', 'v', [{ key: '123', type: 1 }])).toMatchObject({
      ok: false,
      error: { code: 'LIST_KEY' },
    });
    expect(buildIndex('card', 'v', [{ key: '37012204232353169389', type: 0 }])).toMatchObject({
      ok: false,
      error: { code: 'LIST_TYPE' },
    });
  });

  it('supports OBU and vehicle lists', () => {
    const obu = buildIndex('obu', 'v', [{ key: '3701000012345678', type: 102 }]);
    expect(obu.ok && obu.value.lookup('3701000012345678')?.reason).toBe('挂起');
    const chase = buildIndex('vehicle-chase', 'v', [{ key: '鲁A12345_0', type: 1 }]);
    expect(chase.ok && chase.value.lookup('鲁A12345_0')?.reason).toBe('追缴名单');
    expect(chase.ok && chase.value.lookup('鲁A12345_1')).toBeNull();
  });
});

describe('deltas', () => {
  const mutate = (from: ReadonlyMap<string, number>, rnd: () => number, adds: number) => {
    const next = new Map(from);
    for (const [key, type] of from) {
      const r = rnd();
      if (r < 0.2) next.delete(key);
      else if (r < 0.3) next.set(key, (type % 7) + 1);
    }
    for (let i = 0; i < adds; i++) next.set(randomCardNumber(rnd), 1 + Math.floor(rnd() * 7));
    return next;
  };
  const asEntries = (m: ReadonlyMap<string, number>) => [...m].map(([key, type]) => ({ key, type }));

  it('a delta applied to a full version equals the next full version (two chained deltas)', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.integer({ min: 0, max: 2000 }),
        fc.integer(),
        fc.constantFrom(0, 50, undefined),
        (seed, n, mseed, maxOverlay) => {
          const a = entriesArb(seed, n);
          const rnd = mulberry32(mseed);
          const v1 = new Map(a.map((e) => [e.key, e.type]));
          const v2 = mutate(v1, rnd, n / 5);
          const v3 = mutate(v2, rnd, n / 5);
          const [A, B, C] = [
            build('v1', asEntries(v1)),
            build('v2', asEntries(v2)),
            build('v3', asEntries(v3)),
          ];
          const opts = maxOverlay === undefined ? {} : { maxOverlay };
          let cur = A;
          for (const next of [B, C]) {
            const d = diffIndexes(cur, next);
            if (!d.ok) throw d.error;
            // Through the binary format, as a station would receive it.
            const decoded = decodeList(encodeDeltaList(d.value));
            if (!decoded.ok || decoded.value.type !== 'delta') throw new Error('delta decode');
            const applied = applyDelta(cur, decoded.value.delta, opts);
            if (!applied.ok) throw applied.error;
            expect(applied.value.equals(next)).toBe(true);
            expect(applied.value.count).toBe(next.count);
            cur = applied.value;
          }
          if (maxOverlay === 0) expect(cur.overlaySize).toBe(0);
          // Lookups through base + overlay agree with the final version.
          for (const key of new Set([...v1.keys(), ...v2.keys(), ...v3.keys()])) {
            expect(cur.lookup(key)?.type).toBe(v3.get(key));
          }
          // A merged run's (shifted) directory finds every key at its position.
          const m = cur.materialize();
          for (let p = 0; p < C.count; p++) expect(m.find(C.hi[p]!, C.lo[p]!)).toBe(p);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('a generated delta matches the same edits done on a Set', () => {
    const base = generateCardIndex({ count: 20_000, seed: 3, version: 'v1' });
    const d = generateCardDelta(base, { adds: 500, removes: 300, changes: 100, toVersion: 'v2', seed: 9 });
    if (!d.ok) throw d.error;
    const applied = applyDelta(base, d.value);
    if (!applied.ok) throw applied.error;
    expect(applied.value.count).toBe(20_000 + 500 - 300);
    expect(applied.value.overlaySize).toBe(900);
    const merged = applyDelta(base, d.value, { maxOverlay: 0 });
    if (!merged.ok) throw merged.error;
    expect(merged.value.overlaySize).toBe(0);
    expect(merged.value.equals(applied.value)).toBe(true);
    const rebuilt = new StatusIndex('card', 'v2', '', merged.value.hi, merged.value.lo, merged.value.types);
    for (let p = 0; p < rebuilt.count; p += 7) {
      expect(merged.value.find(rebuilt.hi[p]!, rebuilt.lo[p]!)).toBe(p);
      expect(merged.value.find(rebuilt.hi[p]!, rebuilt.lo[p]! + 1)).toBe(
        rebuilt.find(rebuilt.hi[p]!, rebuilt.lo[p]! + 1),
      );
    }
    const again = diffIndexes(base, applied.value);
    expect(again.ok && [again.value.upHi.length, again.value.rmHi.length]).toEqual([600, 300]);
  });

  it('the store compacts an overlay without changing the version or the answers', () => {
    const base = generateCardIndex({ count: 5000, seed: 3, version: 'v1' });
    const d = generateCardDelta(base, { adds: 50, removes: 50, toVersion: 'v2' });
    if (!d.ok) throw d.error;
    const store = new ListStore();
    store.setFull(base);
    expect(store.applyDelta(d.value).ok).toBe(true);
    const before = store.get('card')!;
    expect(before.overlaySize).toBe(100);
    store.compact('card');
    const after = store.get('card')!;
    expect([after.overlaySize, after.version, after.equals(before)]).toEqual([0, 'v2', true]);
  });
});

describe('binary list files and the store', () => {
  const full1 = generateCardIndex({ count: 5000, seed: 1, version: 'v1' });
  const full2 = (() => {
    const d = generateCardDelta(full1, { adds: 50, removes: 20, changes: 5, toVersion: 'v2' });
    if (!d.ok) throw d.error;
    const r = applyDelta(full1, d.value);
    if (!r.ok) throw r.error;
    return { index: r.value, delta: d.value };
  })();

  it('round-trips a full list, also from an unaligned buffer', () => {
    const bytes = encodeFullList(full1);
    const r = decodeList(bytes);
    expect(r.ok && r.value.type === 'full' && r.value.index.equals(full1)).toBe(true);
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    const r2 = decodeList(shifted.subarray(1));
    expect(r2.ok && r2.value.type === 'full' && r2.value.index.equals(full1)).toBe(true);
    expect(r.ok && r.value.type === 'full' && r.value.index.label).toBe('SYNTHETIC TEST DATA');
  });

  it('refuses a file with a bad checksum and keeps the previous version', () => {
    const store = new ListStore();
    expect(store.loadFile(encodeFullList(full1)).ok).toBe(true);
    const delta = encodeDeltaList(full2.delta);
    delta[delta.length - 10]! ^= 0xff;
    expect(store.loadFile(delta)).toMatchObject({ ok: false, error: { code: 'LIST_CHECKSUM' } });
    expect(store.versions()).toEqual({ card: 'v1' });
    expect(store.get('card')?.equals(full1)).toBe(true);
  });

  it('refuses a delta with a version gap and keeps the previous version', () => {
    const store = new ListStore();
    store.setFull(full1);
    const gap = { ...full2.delta, fromVersion: 'v0' };
    expect(store.loadFile(encodeDeltaList(gap))).toMatchObject({
      ok: false,
      error: { code: 'LIST_VERSION_GAP' },
    });
    expect(store.versions()).toEqual({ card: 'v1' });
    // The right delta then applies, and a second application is a gap.
    expect(store.loadFile(encodeDeltaList(full2.delta)).ok).toBe(true);
    expect(store.get('card')?.equals(full2.index)).toBe(true);
    expect(store.loadFile(encodeDeltaList(full2.delta))).toMatchObject({
      ok: false,
      error: { code: 'LIST_VERSION_GAP' },
    });
    expect(store.versions()).toEqual({ card: 'v2' });
  });

  it('refuses a full file whose keys are not sorted', () => {
    const hi = Uint32Array.from([5, 3]);
    const lo = Uint32Array.from([0, 0]);
    const unsorted = new StatusIndex('obu', 'v', '', hi, lo, Uint8Array.from([1, 1]));
    expect(unsorted.sorted).toBe(false);
    expect(decodeList(encodeFullList(unsorted))).toMatchObject({
      ok: false,
      error: { code: 'LIST_FORMAT', field: 'payload' },
    });
  });

  it('checks a card, an OBU and a vehicle at once and names the versions consulted', () => {
    const store = new ListStore();
    store.setFull(full1);
    const obu = buildIndex('obu', 'o1', [{ key: '3701000012345678', type: 101 }]);
    const chase = buildIndex('vehicle-chase', 'c1', [{ key: '鲁A12345_0', type: 1 }]);
    if (!obu.ok || !chase.ok) throw new Error('fixture');
    store.setFull(obu.value);
    store.setFull(chase.value);
    const card = decodeCardKey(full1.hi[10]!, full1.lo[10]!);
    const r = store.check({ card, obu: '3701000012345678', vehicleId: '鲁a12345_00' });
    expect(r.hits.map((h) => [h.kind, h.special, h.version])).toEqual([
      ['card', 24, 'v1'],
      ['obu', 6, 'o1'],
      ['vehicle-chase', 118, 'c1'],
    ]);
    expect(r.blocked).toBe(true);
    expect(r.consulted).toEqual({ card: 'v1', obu: 'o1', 'vehicle-chase': 'c1' });
    expect(r.missing).toEqual(['vehicle-green', 'vehicle-emergency', 'vehicle-green-ban']);
    const clean = store.check({ card: '37019999999999999999', vehicleId: '鲁B00000_0' });
    expect([clean.hits.length, clean.blocked]).toEqual([0, false]);
  });

  it('refuses deltas before any full list, of another kind, and truncated or foreign files', () => {
    const store = new ListStore();
    expect(store.applyDelta(full2.delta)).toMatchObject({ ok: false, error: { code: 'LIST_NOT_LOADED' } });
    store.setFull(full1);
    expect(store.applyDelta({ ...full2.delta, kind: 'obu' })).toMatchObject({
      ok: false,
      error: { code: 'LIST_NOT_LOADED' },
    });
    expect(applyDelta(full1, { ...full2.delta, kind: 'obu' })).toMatchObject({
      ok: false,
      error: { code: 'LIST_KIND' },
    });
    const bytes = encodeFullList(full1);
    expect(decodeList(bytes.subarray(0, bytes.length - 1))).toMatchObject({
      ok: false,
      error: { code: 'LIST_FORMAT' },
    });
    expect(decodeList(new TextEncoder().encode('card,type\n3701…,1\n'.repeat(3)))).toMatchObject({
      ok: false,
      error: { code: 'LIST_FORMAT', field: 'magic' },
    });
  });
});
