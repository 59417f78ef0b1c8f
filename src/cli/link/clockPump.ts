/**
 * Drives a simulated board's VirtualClock from a command: `speed` virtual ms per real ms, or as fast as
 * the machine goes ('max', --virtual-time). Every step yields to the event loop, so signals (Ctrl-C)
 * and output are handled between steps.
 */
import type { VirtualClock } from '../../../hardware-mock/src/index.ts';

export interface ClockPump {
  stop(): Promise<void>;
}

/** Longest virtual step at once, ms: short enough that a stop is handled promptly in virtual time too. */
const MAX_STEP_MS = 500;

/**
 * `beforeStep`: awaited before each step (the record store's idle(): virtual time must not outrun real
 * disk writes, or a store that is merely slower than virtual time would look hung).
 */
export function startClockPump(clock: VirtualClock, speed: number | 'max', beforeStep: () => Promise<void> = async () => {}): ClockPump {
  let running = true;
  const t0 = performance.now();
  const v0 = clock.now();
  const done = (async () => {
    while (running) {
      await beforeStep();
      if (speed === 'max') {
        await clock.advance(MAX_STEP_MS);
        continue;
      }
      const due = v0 + (performance.now() - t0) * speed - clock.now();
      if (due >= 1) await clock.advance(Math.min(due, MAX_STEP_MS));
      else await new Promise((resolve) => setTimeout(resolve, 2));
    }
  })();
  return {
    async stop() {
      running = false;
      await done;
    },
  };
}
