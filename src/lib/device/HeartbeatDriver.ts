/**
 * What ticks the heartbeat. The default uses the client's clock; the UI may instead drive ticks from a
 * worker-posted message (a worker's timers keep running when the main thread is busy or throttled),
 * and tests stop a driver to simulate a frozen tab.
 */
import type { Clock, TimerId } from '../clock.ts';

export interface HeartbeatDriver {
  /** Call `tick` every `periodMs` until stop(). Starting a running driver restarts it. */
  start(tick: () => void, periodMs: number): void;
  stop(): void;
}

/** Ticks from clock.setInterval (default). */
export function clockHeartbeatDriver(clock: Clock): HeartbeatDriver {
  let id: TimerId | null = null;
  return {
    start(tick, periodMs) {
      if (id !== null) clock.clearInterval(id);
      id = clock.setInterval(tick, periodMs);
    },
    stop() {
      if (id !== null) clock.clearInterval(id);
      id = null;
    },
  };
}

/**
 * Ticks only when told: call tick() from a worker's message handler, or from a test. `tick()` returns
 * false while the client has the driver stopped.
 */
export class ManualHeartbeatDriver implements HeartbeatDriver {
  #tick: (() => void) | null = null;
  #periodMs = 0;

  get running(): boolean {
    return this.#tick !== null;
  }
  get periodMs(): number {
    return this.#periodMs;
  }

  start(tick: () => void, periodMs: number): void {
    this.#tick = tick;
    this.#periodMs = periodMs;
  }
  stop(): void {
    this.#tick = null;
  }
  tick(): boolean {
    if (!this.#tick) return false;
    this.#tick();
    return true;
  }
}
