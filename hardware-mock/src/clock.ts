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
  /** Cleared timers stay in the heap until they reach the top (lazy deletion keeps clear O(1)). */
  cancelled: boolean;
}

/**
 * Run `fn` after one macrotask turn, i.e. after every pending promise callback and stream hop.
 * - Not a fixed number of `await Promise.resolve()` hops: the depth of a promise chain is unbounded. A
 *   bare reader on the simulated port needs 1 hop for a round trip, one stream layer above it 2, and
 *   every transport/client/session layer adds more (tests/hardware-mock/clock.test.ts measures it).
 * - Not a "microtasks drained" signal (a nextTick queued from a microtask, about 4× cheaper per timer on
 *   Node 20): it is exact for promises and streams, but real macrotasks then no longer run between
 *   virtual timers, and tests that rely on them (fake-indexeddb in tests/session) fail.
 * - Callback style rather than `await new Promise(setImmediate)`: half the cost per timer (≈ 1 µs
 *   against 2 µs on an idle Node 20).
 */
const nextMacrotask: (fn: () => void) => void =
  typeof setImmediate === 'function'
    ? (fn) => void setImmediate(fn)
    : (() => {
        // Browsers: a MessageChannel message is a macrotask that is not throttled like setTimeout(0).
        // Made on first use, so importing this module (the board on realClock) costs nothing.
        let channel: MessageChannel | null = null;
        const queue: (() => void)[] = [];
        return (fn: () => void) => {
          if (!channel) {
            channel = new MessageChannel();
            channel.port1.onmessage = () => queue.shift()?.();
          }
          queue.push(fn);
          channel.port2.postMessage(null);
        };
      })();

function macrotask(): Promise<void> {
  return new Promise((r) => nextMacrotask(r));
}

function before(a: Timer, b: Timer): boolean {
  return a.at < b.at || (a.at === b.at && a.order < b.order);
}

/**
 * Deterministic virtual time. Nothing happens until `advance(ms)`, which runs every due timer in time
 * order and lets promises settle after each one, so async code (streams, awaits) interleaves as it
 * would in real time, only faster. Timers live in a binary min-heap on (due time, insertion order).
 */
export class VirtualClock implements Clock {
  #now = 0;
  #wallStart: number;
  #nextId = 1;
  #order = 0;
  /** Live timers by id (cleared ones are removed here at once). */
  #timers = new Map<TimerId, Timer>();
  #heap: Timer[] = [];
  #cancelledInHeap = 0;

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
    this.#cancel(id);
  }
  setInterval(fn: () => void, ms: number): TimerId {
    return this.#add(fn, ms, Math.max(1, ms));
  }
  clearInterval(id: TimerId): void {
    this.#cancel(id);
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
  advance(ms: number): Promise<void> {
    const end = this.#now + Math.max(0, ms);
    return new Promise<void>((resolve, reject) => {
      const step = (): void => {
        const next = this.#popDue(end);
        if (!next) {
          this.#now = end;
          nextMacrotask(resolve);
          return;
        }
        this.#now = next.at;
        if (next.intervalMs !== null) {
          next.at += next.intervalMs;
          next.order = this.#order++;
          this.#push(next);
        } else this.#timers.delete(next.id);
        try {
          next.fn();
        } catch (error) {
          reject(error);
          return;
        }
        nextMacrotask(step);
      };
      nextMacrotask(step);
    });
  }

  #add(fn: () => void, ms: number, intervalMs: number | null): TimerId {
    const id = this.#nextId++;
    const delay = Number.isFinite(ms) && ms > 0 ? ms : 0;
    const timer: Timer = { id, at: this.#now + delay, order: this.#order++, fn, intervalMs, cancelled: false };
    this.#timers.set(id, timer);
    this.#push(timer);
    return id;
  }

  #cancel(id: TimerId): void {
    const timer = this.#timers.get(id);
    if (!timer) return;
    this.#timers.delete(id);
    timer.cancelled = true;
    this.#cancelledInHeap++;
    // Many cleared long timeouts (request timeouts answered in time) would otherwise pile up.
    if (this.#cancelledInHeap > 1024 && this.#cancelledInHeap * 2 > this.#heap.length) this.#compact();
  }

  /** Remove and return the earliest live timer due at or before `end`, if any. */
  #popDue(end: number): Timer | undefined {
    const heap = this.#heap;
    for (;;) {
      const top = heap[0];
      if (!top) return undefined;
      if (top.cancelled) {
        this.#pop();
        this.#cancelledInHeap--;
        continue;
      }
      if (top.at > end) return undefined;
      return this.#pop();
    }
  }

  #push(timer: Timer): void {
    const heap = this.#heap;
    let i = heap.length;
    heap.push(timer);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent]!;
      if (!before(timer, p)) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = timer;
  }

  #pop(): Timer {
    const heap = this.#heap;
    const top = heap[0]!;
    const last = heap.pop()!;
    const n = heap.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && before(heap[r]!, heap[l]!) ? r : l;
        if (!before(heap[c]!, last)) break;
        heap[i] = heap[c]!;
        i = c;
      }
      heap[i] = last;
    }
    return top;
  }

  #compact(): void {
    const live = this.#heap.filter((t) => !t.cancelled);
    this.#heap = [];
    this.#cancelledInHeap = 0;
    for (const t of live) this.#push(t);
  }
}
