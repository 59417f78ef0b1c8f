/**
 * Faults on the wire, both directions: bit flips, lost bytes and added latency, driven by the board's
 * seed so a failing run can be replayed byte for byte. With every rate at 0 it is a pass-through that
 * neither copies nor delays (the ESTOP path stays synchronous).
 *
 * Per byte, in this order: lost with probability `lossRate`; otherwise one random bit flipped with
 * probability `corruptionRate`. Latency delays whole chunks and keeps their order even when the latency
 * is changed while bytes are in flight.
 */
import type { Clock, TimerId } from './clock.ts';
import { BoardOptionError } from './errors.ts';
import { Rng } from './Rng.ts';

class Lane {
  readonly #rng: Rng;
  readonly #deliver: (bytes: Uint8Array) => void;
  readonly #queue: { atMs: number; bytes: Uint8Array }[] = [];
  #lastAtMs = Number.NEGATIVE_INFINITY;
  readonly timers = new Set<TimerId>();

  constructor(rng: Rng, deliver: (bytes: Uint8Array) => void) {
    this.#rng = rng;
    this.#deliver = deliver;
  }

  send(bytes: Uint8Array, injector: FaultInjector, clock: Clock): void {
    let out = bytes;
    if (injector.lossRate > 0 || injector.corruptionRate > 0) out = this.#mangle(bytes, injector.lossRate, injector.corruptionRate);
    if (out.length === 0) return;
    if (injector.latencyMs <= 0 && this.#queue.length === 0) {
      this.#deliver(out);
      return;
    }
    // Delayed: own the bytes (the caller may reuse its buffer), and never overtake earlier chunks.
    const atMs = Math.max(clock.now() + injector.latencyMs, this.#lastAtMs);
    this.#lastAtMs = atMs;
    this.#queue.push({ atMs, bytes: out === bytes ? bytes.slice() : out });
    const id = clock.setTimeout(() => {
      this.timers.delete(id);
      this.#drain(clock.now());
    }, atMs - clock.now());
    this.timers.add(id);
  }

  #drain(nowMs: number): void {
    while (this.#queue.length > 0 && this.#queue[0]!.atMs <= nowMs) this.#deliver(this.#queue.shift()!.bytes);
  }

  #mangle(bytes: Uint8Array, lossRate: number, corruptionRate: number): Uint8Array {
    const out = new Uint8Array(bytes.length);
    let n = 0;
    const rng = this.#rng;
    for (let i = 0; i < bytes.length; i++) {
      if (lossRate > 0 && rng.next() < lossRate) continue;
      let b = bytes[i]!;
      if (corruptionRate > 0 && rng.next() < corruptionRate) b ^= 1 << rng.int(8);
      out[n++] = b;
    }
    return n === out.length ? out : out.subarray(0, n);
  }

  clear(clock: Clock): void {
    for (const id of this.timers) clock.clearTimeout(id);
    this.timers.clear();
    this.#queue.length = 0;
  }
}

export class FaultInjector {
  corruptionRate = 0;
  lossRate = 0;
  latencyMs = 0;
  readonly #clock: Clock;
  readonly #toBoard: Lane;
  readonly #toHost: Lane;

  constructor(clock: Clock, seed: number, deliverToBoard: (bytes: Uint8Array) => void, deliverToHost: (bytes: Uint8Array) => void) {
    this.#clock = clock;
    this.#toBoard = new Lane(Rng.derive(seed, 'link:host→board'), deliverToBoard);
    this.#toHost = new Lane(Rng.derive(seed, 'link:board→host'), deliverToHost);
  }

  setCorruption(rate: number): void {
    this.corruptionRate = FaultInjector.#rate('corruption', rate);
  }
  setLoss(rate: number): void {
    this.lossRate = FaultInjector.#rate('loss', rate);
  }
  setLatency(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new BoardOptionError('inject.latencyMs', 'a finite number ≥ 0', ms);
    this.latencyMs = ms;
  }

  static #rate(name: string, rate: number): number {
    if (!Number.isFinite(rate) || rate < 0 || rate > 1) throw new BoardOptionError(`inject.${name}`, 'a fraction from 0 to 1', rate);
    return rate;
  }

  /** Host → board bytes (from the port's writable). */
  toBoard(bytes: Uint8Array): void {
    this.#toBoard.send(bytes, this, this.#clock);
  }

  /** Board → host bytes (to the port's readable). */
  toHost(bytes: Uint8Array): void {
    this.#toHost.send(bytes, this, this.#clock);
  }

  /** Forget bytes in flight (unplug, destroy). */
  clear(): void {
    this.#toBoard.clear(this.#clock);
    this.#toHost.clear(this.#clock);
  }
}
