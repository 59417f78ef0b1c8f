import { describe, expect, test } from 'vitest';
import { Rng } from '../../hardware-mock/src/index.ts';

describe('Rng (mulberry32)', () => {
  test('same seed, same sequence; different seeds, different sequences', () => {
    const draw = (r: Rng) => Array.from({ length: 20 }, () => r.next());
    expect(draw(new Rng(42))).toEqual(draw(new Rng(42)));
    expect(draw(new Rng(42))).not.toEqual(draw(new Rng(43)));
  });

  test('reference values: mulberry32(1) starts 0.6270739405881613, 0.002735721180215478', () => {
    const r = new Rng(1);
    expect(r.next()).toBe(0.6270739405881613);
    expect(r.next()).toBe(0.002735721180215478);
  });

  test('values lie in [0, 1) and are spread evenly (10 bins within ±5 % of 10 000 draws each)', () => {
    const r = new Rng(7);
    const bins = new Array<number>(10).fill(0);
    let outside = 0;
    for (let i = 0; i < 100_000; i++) {
      const x = r.next();
      if (!(x >= 0 && x < 1)) outside++;
      else bins[Math.floor(x * 10)]!++;
    }
    expect(outside).toBe(0);
    for (const b of bins) expect(Math.abs(b - 10_000)).toBeLessThan(500);
  });

  test('int(n) stays in [0, n)', () => {
    const r = new Rng(3);
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) seen.add(r.int(8));
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  test('derived streams are reproducible and independent of each other', () => {
    const a1 = Rng.derive(5, 'impedance');
    const a2 = Rng.derive(5, 'impedance');
    const b = Rng.derive(5, 'link:host→board');
    const c = Rng.derive(6, 'impedance');
    const xs = (r: Rng) => [r.next(), r.next(), r.next()];
    const first = xs(a1);
    expect(xs(a2)).toEqual(first);
    expect(xs(b)).not.toEqual(first);
    expect(xs(c)).not.toEqual(first);
  });
});
