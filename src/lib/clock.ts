/**
 * The clock every timed part of StimBench takes as a dependency, so tests can run hours of
 * stimulation on virtual time (hardware-mock's VirtualClock) and the app runs on the real one.
 */
export type TimerId = number;

export interface Clock {
  /** Monotonic time, ms (never goes backwards; unrelated to the wall clock). */
  now(): number;
  /** Wall-clock time, ms since the Unix epoch (for records only, never for timing). */
  wallNow(): number;
  setTimeout(fn: () => void, ms: number): TimerId;
  clearTimeout(id: TimerId): void;
  setInterval(fn: () => void, ms: number): TimerId;
  clearInterval(id: TimerId): void;
}

/** The real clock: performance.now() for monotonic time, Date.now() for wall time. */
export const systemClock: Clock = {
  now: () => performance.now(),
  wallNow: () => Date.now(),
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms) as unknown as TimerId,
  clearTimeout: (id) => globalThis.clearTimeout(id as unknown as ReturnType<typeof setTimeout>),
  setInterval: (fn, ms) => globalThis.setInterval(fn, ms) as unknown as TimerId,
  clearInterval: (id) => globalThis.clearInterval(id as unknown as ReturnType<typeof setInterval>),
};
