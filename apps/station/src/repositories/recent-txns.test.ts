import { describe, expect, it } from 'vitest';
import { testExitTxnRow } from '../testing/exit-txn-row';
import { RecentTxns } from './recent-txns';

describe('recently acknowledged exit transactions', () => {
  it('holds a row once its write is done, frozen: no caller can change it for the others', () => {
    const r = new RecentTxns();
    const t = r.begin('a');
    expect(r.get('a')).toBeUndefined();
    const written = testExitTxnRow('a');
    r.done(t, written);
    written.state = 'changed by the writer afterwards';
    const got = r.get('a');
    expect(got?.state).toBe('read');
    expect(() => {
      if (got) got.state = 'mutated by a caller';
    }).toThrow(TypeError);
    expect(r.get('a')?.state).toBe('read');
  });

  it('drops a row when a write begins, and keeps it out if another write began before it was done', () => {
    const r = new RecentTxns();
    r.done(r.begin('a'), testExitTxnRow('a'));
    const first = r.begin('a');
    expect(first.before?.state).toBe('read');
    expect(r.get('a')).toBeUndefined();
    const second = r.begin('a'); // e.g. a transaction's write: it never reports back
    expect(second.before).toBeUndefined();
    r.done(first, testExitTxnRow('a', { state: 'imaged' }));
    expect(r.get('a')).toBeUndefined(); // the second write's outcome is unknown here
    r.done(second, testExitTxnRow('a', { state: 'priced' }));
    expect(r.get('a')?.state).toBe('priced');
  });

  it('leaves a row uncached when its write is abandoned or its outcome is unknown', () => {
    const r = new RecentTxns();
    r.abandon(r.begin('a'));
    expect(r.get('a')).toBeUndefined();
    r.done(r.begin('b'), undefined);
    expect(r.get('b')).toBeUndefined();
  });

  it('stays bounded: the oldest rows go first', () => {
    const r = new RecentTxns();
    for (let i = 0; i < 5000; i++) r.done(r.begin(`t${i}`), testExitTxnRow(`t${i}`));
    expect(r.get('t0')).toBeUndefined();
    expect(r.get('t4999')?.id).toBe('t4999');
  });
});
