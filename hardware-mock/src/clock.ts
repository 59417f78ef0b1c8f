/**
 * Clocks for the simulated board. `Clock` is structurally the same interface as src/lib/clock.ts, so
 * one VirtualClock can drive the board and the host together in a test.
 */
export type TimerId = number;

export interface Clock {
  now(): number;
  wallNow(): number;
  setTimeout(fn: () => void, ms: number): TimerId;
  clearTimeout(id: TimerId): void;
  setInterval(fn: () => void, ms: number): TimerId;
  clearInterval(id: TimerId): void;
}

export const realClock: Clock = {
  now: () => performance.now(),
  wallNow: () => Date.now(),
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms) as unknown as TimerId,
  clearTimeout: (id) => globalThis.clearTimeout(id as unknown as ReturnType<typeof setTimeout>),
  setInterval: (fn, ms) => globalThis.setInterval(fn, ms) as unknown as TimerId,
  clearInterval: (id) => globalThis.clearInterval(id as unknown as ReturnType<typeof setInterval>),
};

interface Timer {
  id: TimerId;
  at: number;
  /** Insertion order, so timers due at the same instant run in the order they were set. */
  order: number;
  fn: () => void;
  intervalMs: number | null;
}

/** Let every pending promise callback and stream hop run (one macrotask turn). */
function macrotask(): Promise<void> {
  if (typeof setImmediate === 'function') return new Promise((r) => setImmediate(r));
  return new Promise((r) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => r();
    ch.port2.postMessage(null);
  });
}

/**
 * Deterministic virtual time. Nothing happens until `advance(ms)`, which runs every due timer in time
 * order and lets promises settle after each one, so async code (streams, awaits) interleaves as it
 * would in real time, only faster.
 */
export class VirtualClock implements Clock {
  #now = 0;
  #wallStart: number;
  #nextId = 1;
  #order = 0;
  #timers = new Map<TimerId, Timer>();

  constructor(options: { startWallMs?: number } = {}) {
    this.#wallStart = options.startWallMs ?? Date.UTC(2026, 0, 1);
  }

  now(): number {
    return this.#now;
  }
  wallNow(): number {
    return this.#wallStart + this.#now;
  }
  setTimeout(fn: () => void, ms: number): TimerId {
    return this.#add(fn, ms, null);
  }
  clearTimeout(id: TimerId): void {
    this.#timers.delete(id);
  }
  setInterval(fn: () => void, ms: number): TimerId {
    return this.#add(fn, ms, Math.max(1, ms));
  }
  clearInterval(id: TimerId): void {
    this.#timers.delete(id);
  }

  /** Number of pending timers (for leak checks in tests). */
  get pendingTimers(): number {
    return this.#timers.size;
  }

  /** Let pending promises settle without moving time. */
  async settle(): Promise<void> {
    await macrotask();
  }

  /** Move time forward by `ms`, running due timers in order and settling promises after each. */
  async advance(ms: number): Promise<void> {
    const end = this.#now + Math.max(0, ms);
    await macrotask();
    for (;;) {
      const next = this.#nextDue(end);
      if (!next) break;
      this.#now = next.at;
      if (next.intervalMs !== null) {
        next.at += next.intervalMs;
        next.order = this.#order++;
      } else this.#timers.delete(next.id);
      next.fn();
      await macrotask();
    }
    this.#now = end;
    await macrotask();
  }

  #nextDue(end: number): Timer | undefined {
    let best: Timer | undefined;
    for (const t of this.#timers.values()) {
      if (t.at > end) continue;
      if (!best || t.at < best.at || (t.at === best.at && t.order < best.order)) best = t;
    }
    return best;
  }

  #add(fn: () => void, ms: number, intervalMs: number | null): TimerId {
    const id = this.#nextId++;
    this.#timers.set(id, { id, at: this.#now + Math.max(0, ms), order: this.#order++, fn, intervalMs });
    return id;
  }
}
