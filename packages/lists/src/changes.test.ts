import { describe, expect, it } from 'vitest';
import { decodeList, encodeDeltaList, encodeFullList } from './binary-format';
import { deltaFromChanges } from './changes';
import { applyDelta } from './delta';
import { buildIndex, type StatusIndex } from './status-index';

const IN_BASE = '99010000000000000001'; // TEST cards
const ADDED = '99010000000000000077';

function step(base: StatusIndex, to: string, changes: Parameters<typeof deltaFromChanges>[2]) {
  const d = deltaFromChanges(base, to, changes);
  if (!d.ok) throw d.error;
  // Through the wire format, as a station receives it.
  const file = decodeList(encodeDeltaList(d.value));
  if (!file.ok || file.value.type !== 'delta') throw new Error('not a delta');
  const next = applyDelta(base, file.value.delta);
  if (!next.ok) throw next.error;
  return { delta: file.value.delta, next: next.value };
}

describe('deltaFromChanges', () => {
  const built = buildIndex('card', '202611231600', [{ key: IN_BASE, type: 1 }], 'TEST DATA');
  if (!built.ok) throw built.error;
  const v0 = built.value;

  it('withdraws an entry that an earlier delta added (it lives in the overlay, not the base run)', () => {
    const a = step(v0, '202611231605', [{ key: ADDED, type: 2, action: 'add' }]);
    expect(a.next.overlaySize).toBe(1);
    expect(a.next.has(ADDED)).toBe(true);
    const b = step(a.next, '202611231610', [{ key: ADDED, type: 0, action: 'remove' }]);
    expect(b.delta.rmHi.length).toBe(1);
    expect(b.next.has(ADDED)).toBe(false);
    expect(b.next.count).toBe(1);
    const full = decodeList(encodeFullList(b.next));
    if (!full.ok || full.value.type !== 'full') throw new Error('not a full list');
    expect(full.value.index.has(ADDED)).toBe(false);
    expect(full.value.index.has(IN_BASE)).toBe(true);
  });

  it('withdraws a base entry, drops a remove of a key in force nowhere, and lets the later change win', () => {
    const r = step(v0, '202611231605', [
      { key: IN_BASE, type: 0, action: 'remove' },
      { key: '99010000000000000099', type: 0, action: 'remove' },
      { key: ADDED, type: 3, action: 'add' },
      { key: ADDED, type: 0, action: 'remove' },
    ]);
    expect(r.delta.rmHi.length).toBe(1);
    expect(r.delta.upHi.length).toBe(0);
    expect(r.next.count).toBe(0);
  });

  it('refuses a malformed key', () => {
    const r = deltaFromChanges(v0, '202611231605', [{ key: 'not-a-card', type: 1, action: 'add' }]);
    expect(r.ok).toBe(false);
  });
});
