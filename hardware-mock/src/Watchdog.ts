/**
 * The firmware watchdog (PROTOCOL.md § 12.2: the board zeroes all output when it has heard no valid frame
 * for its watchdog period). Armed by the first valid frame after HELLO, fed by every valid frame, it trips once
 * per silence: exactly `periodMs` after the last feed on a virtual clock, and disarms until the next feed.
 *
 * One clock timer per period at most, not one per frame: when the timer fires early (frames came in
 * meanwhile) it re-aims at the new deadline. A HEARTBEAT every 100 ms therefore costs one timer per 500 ms.
 */
import type { Clock, TimerId } from './clock.ts';

export class Watchdog {
  readonly #clock: Clock;
  readonly #periodMs: number;
  readonly #onTrip: (silentMs: number) => void;
  #armed = false;
  #lastFeedMs = 0;
  #timer: TimerId | null = null;

  constructor(clock: Clock, periodMs: number, onTrip: (silentMs: number) => void) {
    this.#clock = clock;
    this.#periodMs = periodMs;
    this.#onTrip = onTrip;
  }

  get armed(): boolean {
    return this.#armed;
  }

  /** A valid frame arrived: (re)start the countdown. */
  feed(): void {
    this.#lastFeedMs = this.#clock.now();
    this.#armed = true;
    if (this.#timer === null) this.#aim(this.#periodMs);
  }

  disarm(): void {
    this.#armed = false;
    if (this.#timer !== null) this.#clock.clearTimeout(this.#timer);
    this.#timer = null;
  }

  #aim(delayMs: number): void {
    this.#timer = this.#clock.setTimeout(() => this.#fire(), delayMs);
  }

  #fire(): void {
    this.#timer = null;
    if (!this.#armed) return;
    const silentMs = this.#clock.now() - this.#lastFeedMs;
    if (silentMs < this.#periodMs) {
      this.#aim(this.#periodMs - silentMs);
      return;
    }
    this.#armed = false;
    this.#onTrip(silentMs);
  }
}
