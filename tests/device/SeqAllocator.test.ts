import { describe, expect, it } from 'vitest';
import { MAX_SEQ, SeqAllocator } from '../../src/lib/device/SeqAllocator.ts';

describe('SeqAllocator', () => {
  it('counts from 1 and never hands out 0', () => {
    const s = new SeqAllocator();
    expect([s.next(), s.next(), s.next()]).toEqual([1, 2, 3]);
  });

  it('wraps from 65535 to 1, skipping 0', () => {
    const s = new SeqAllocator(MAX_SEQ - 1);
    expect([s.next(), s.next(), s.next()]).toEqual([65534, 65535, 1]);
  });

  it('skips numbers still awaiting a reply', () => {
    const s = new SeqAllocator(MAX_SEQ);
    const inUse = new Set([1, 2]);
    expect(s.next((n) => inUse.has(n))).toBe(MAX_SEQ);
    expect(s.next((n) => inUse.has(n))).toBe(3);
  });

  it('never repeats across a full cycle and never yields 0', () => {
    const s = new SeqAllocator();
    const seen = new Set<number>();
    for (let i = 0; i < MAX_SEQ; i++) seen.add(s.next());
    expect(seen.size).toBe(MAX_SEQ);
    expect(seen.has(0)).toBe(false);
    expect(s.next()).toBe(1);
  });

  it('throws when every number is in use, and refuses a bad first value', () => {
    expect(() => new SeqAllocator().next(() => true)).toThrow(RangeError);
    expect(() => new SeqAllocator(0)).toThrow(RangeError);
  });
});
