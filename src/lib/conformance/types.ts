/**
 * The conformance suite's public types. The suite is isomorphic: it uses only the Transport interface,
 * firmware-protocol and an injected timer, so the same checks run in Node tests, a CLI and the browser.
 */
import type { DropCounters } from '../../../firmware-protocol/src/index.ts';

/**
 * Time as the suite sees it. On the simulated board both come from its VirtualClock (`sleep` advances
 * virtual time); against a real or C board, `performance.now()` and a real timeout.
 */
export interface ConformanceTimer {
  /** Monotonic time, ms. */
  now(): number;
  /** Let `ms` pass (virtual or real). `sleep(0)` must still let pending I/O callbacks run. */
  sleep(ms: number): Promise<void>;
}

/** How strictly time-based checks are judged, ms. Each tolerance says what it allows for. */
export interface ConformanceTolerances {
  /** The watchdog may trip this much before watchdogMs after the last valid frame: one tick of a 1 kHz board clock. */
  watchdogEarlyMs: number;
  /** The watchdog must trip (and its FAULT reach the host) by watchdogMs + this: board tick, link and host scheduling. */
  watchdogLateMs: number;
  /** The maximum-duration stop must report idle by durationMs + this (measured on the board's own uptime). */
  durationLateMs: number;
  /** How long to wait for the reply to one request before calling it unanswered. */
  replyTimeoutMs: number;
  /**
   * How long the board may take to answer at all after the link opens: a board that resets when its
   * port opens (DTR auto-reset), or QEMU, which notices a newly opened pty only on its next poll.
   */
  connectMs: number;
}

export interface ConformanceOptions {
  timer: ConformanceTimer;
  /** Defaults: `virtualTolerances` when the timer is virtual, else `realTolerances`. */
  tolerances?: Partial<ConformanceTolerances>;
  /** 'virtual' for the simulated board on a VirtualClock; 'real' for a board on its own clock. Default 'real'. */
  timeBase?: 'virtual' | 'real';
  /** Run only these check ids (default: all, in order). */
  only?: readonly string[];
  /**
   * Optional view into the board's own drop counters (the simulated board's stats; a C board's debug
   * port). The wire has no counter message, so without it "counted" is judged by silence and resync only.
   */
  dropCounters?: () => DropCounters | Promise<DropCounters>;
  /**
   * Aborting it sends ESTOP to the board at once (the app's STOP button, Space, Escape and page exit, or
   * Ctrl-C in a terminal) and ends the run: the check under way fails as stopped, the rest are not run.
   */
  signal?: AbortSignal;
}

export interface CheckResult {
  id: string;
  /** Plain words: what a conforming board does. */
  title: string;
  pass: boolean;
  /** True when the check could not apply to this board (e.g. no TELEMETRY); `pass` is then true. */
  skipped: boolean;
  /** The figure the verdict rests on, with its unit (e.g. "503 ms after the last valid frame"). */
  measured: string;
  /** What was tried and what went wrong, in plain words; codes in brackets. */
  detail: string;
  durationMs: number;
}

export interface ConformanceReport {
  pass: boolean;
  board: { serialNumber: string; firmware: string; channelCount: number; watchdogMs: number; telemetryRateHz: number } | null;
  results: CheckResult[];
  /** Board → host frames the suite could not decode, by reason (a board or link that garbles its output). */
  hostDrops: DropCounters;
  durationMs: number;
}

export type ConformanceProgress =
  | { kind: 'check-start'; id: string; title: string; index: number; total: number }
  | { kind: 'check-done'; result: CheckResult; index: number; total: number };

export const virtualTolerances: ConformanceTolerances = { watchdogEarlyMs: 0, watchdogLateMs: 2, durationLateMs: 2, replyTimeoutMs: 200, connectMs: 200 };
export const realTolerances: ConformanceTolerances = { watchdogEarlyMs: 1, watchdogLateMs: 150, durationLateMs: 150, replyTimeoutMs: 2_000, connectMs: 5_000 };

/** A check could not go on (no reply, wrong reply): becomes a failed result with this text. */
export class CheckFailure extends Error {
  override name = 'CheckFailure';
}

/** The run was stopped (ConformanceOptions.signal): thrown by the link to end the check under way. */
export class ConformanceStopped extends Error {
  override name = 'ConformanceStopped';
}
