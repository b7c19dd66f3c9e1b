import { describe, expect, it } from 'vitest';
import { readJsonColumn } from './json-columns';

describe('parsed JSON columns', () => {
  it('parses a text once and shares the result', () => {
    const text = JSON.stringify({ card: { id: 'TEST-1', entry: { plate: '浙A12345' } } });
    const a = readJsonColumn<{ card: { id: string } }>(text);
    const b = readJsonColumn<{ card: { id: string } }>(`${text}`.slice(0)); // an equal string
    expect(a).toEqual({ card: { id: 'TEST-1', entry: { plate: '浙A12345' } } });
    expect(b).toBe(a);
  });

  it('freezes what it shares, all the way down', () => {
    const v = readJsonColumn<{ list: { code: number }[] }>('{"list":[{"code":1}],"TEST":true}');
    expect(() => {
      (v.list[0] as { code: number }).code = 2;
    }).toThrow(TypeError);
    expect(() => {
      v.list.push({ code: 3 });
    }).toThrow(TypeError);
    expect(v.list).toEqual([{ code: 1 }]);
  });

  it('stays bounded and still answers for texts it let go', () => {
    const first = readJsonColumn<{ n: number }>('{"n":0,"TEST":"evict"}');
    for (let i = 1; i <= 3000; i++) readJsonColumn(`{"n":${i},"TEST":"evict"}`);
    const again = readJsonColumn<{ n: number }>('{"n":0,"TEST":"evict"}');
    expect(again).toEqual(first);
    expect(again).not.toBe(first);
  });
});
