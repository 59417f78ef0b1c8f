/**
 * Seeded pseudo-random numbers: mulberry32 (Tommy Ettinger, public domain; 32-bit state, period 2³²,
 * passes gjrand/PractRand to 2³² outputs) — plenty for noise and fault injection, and cheap.
 * Every source of randomness in the board takes its own stream, derived from the board's seed and a
 * label, so adding a draw in one place (say, impedance noise) never shifts another (byte corruption).
 */
export class Rng {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** An independent stream for `label`, derived from `seed` (FNV-1a of the label, mixed with the seed). */
  static derive(seed: number, label: string): Rng {
    let h = 0x811c9dc5;
    for (let i = 0; i < label.length; i++) {
      h ^= label.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
    // splitmix32-style finaliser so nearby seeds give unrelated streams.
    let z = (h ^ Math.imul(seed >>> 0, 0x9e3779b9)) >>> 0;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return new Rng((z ^ (z >>> 16)) >>> 0);
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.#state = (this.#state + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
}
