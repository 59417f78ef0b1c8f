/**
 * One channel's amplitude over time, as a closed-form plan rather than a state stepped per sample, so
 * any instant can be evaluated exactly (the ESTOP path, outputUa(), STATUS) and hours of samples never
 * accumulate rounding drift.
 *
 * The plan (PROTOCOL.md § 12.4: amplitude rises only through a ramp at a bounded slew rate, every start
 * begins at 0 mA, a decrease is immediate; STOP ramps down):
 *   rise:  level(t) = min(target, level0 + rate·(t − t0))      START: 0 → amplitude over rampUpMs;
 *                                                               SET_AMPLITUDE up: at the board's slew cap,
 *                                                               down: level0 = target at once
 *   fall:  from downFrom at downAt to 0 at downEnd, linearly    scheduled at START + duration − rampDown
 *                                                               (so the channel is idle at durationMs),
 *                                                               or from the present level on STOP
 * All times are clock ms; amplitudes µA (not yet clipped by compliance: OutputModel does that).
 */
import { CHANNEL_STATES, type ChannelState, type Program } from '../../firmware-protocol/src/index.ts';

export class Envelope {
  running = false;
  startAtMs = 0;
  #rampDownMs = 0;
  #t0 = 0;
  #level0 = 0;
  #target = 0;
  #ratePerMs = 0;
  #downAtMs = Number.POSITIVE_INFINITY;
  #downEndMs = Number.POSITIVE_INFINITY;
  #downFromUa = 0;

  /** Begin `program` at `nowMs` from 0 µA. `slewUaPerS` is the board's own cap, applied even if the ramp asks faster. */
  start(nowMs: number, program: Program, slewUaPerS: number): void {
    this.running = true;
    this.startAtMs = nowMs;
    this.#rampDownMs = program.rampDownMs;
    this.#t0 = nowMs;
    this.#target = program.amplitudeUa;
    const capPerMs = slewUaPerS / 1000;
    if (program.amplitudeUa === 0) {
      this.#level0 = 0;
      this.#ratePerMs = 0;
    } else {
      this.#level0 = 0;
      const asked = program.rampUpMs > 0 ? program.amplitudeUa / program.rampUpMs : Number.POSITIVE_INFINITY;
      this.#ratePerMs = Math.min(asked, capPerMs);
    }
    this.#downAtMs = nowMs + program.durationMs - program.rampDownMs;
    this.#downEndMs = nowMs + program.durationMs;
    this.#downFromUa = this.#riseLevel(this.#downAtMs);
  }

  #riseLevel(t: number): number {
    const v = this.#level0 + this.#ratePerMs * (t - this.#t0);
    return v < this.#target ? v : this.#target;
  }

  /** Commanded peak amplitude at `t` (≥ the last change), µA. */
  levelAt(t: number): number {
    if (!this.running || t >= this.#downEndMs) return 0;
    if (t >= this.#downAtMs) return (this.#downFromUa * (this.#downEndMs - t)) / (this.#downEndMs - this.#downAtMs);
    return this.#riseLevel(t);
  }

  stateAt(t: number): ChannelState {
    return CHANNEL_STATES[this.sample(t)]!;
  }

  /**
   * The hot path: state at `t` as its CHANNEL_STATES index (0 idle, 1 ramping-up, 2 holding,
   * 3 ramping-down), with the commanded level left in `level`. One evaluation for both.
   */
  level = 0;
  sample(t: number): number {
    if (!this.running || t >= this.#downEndMs) {
      this.level = 0;
      return 0;
    }
    if (t >= this.#downAtMs) {
      this.level = (this.#downFromUa * (this.#downEndMs - t)) / (this.#downEndMs - this.#downAtMs);
      return 3;
    }
    const v = this.#level0 + this.#ratePerMs * (t - this.#t0);
    if (v < this.#target) {
      this.level = v;
      return 1;
    }
    this.level = this.#target;
    return 2;
  }

  /** Where the channel is heading at `t`, µA (0 once it ramps down). */
  targetAt(t: number): number {
    const s = this.stateAt(t);
    return s === 'idle' || s === 'ramping-down' ? 0 : this.#target;
  }

  /** Live amplitude change (caller checked the state is ramping-up or holding): down at once, up at the slew cap. */
  setTarget(nowMs: number, targetUa: number, slewUaPerS: number): void {
    const present = this.#riseLevel(nowMs);
    this.#t0 = nowMs;
    if (targetUa <= present) {
      this.#level0 = targetUa;
      this.#ratePerMs = 0;
    } else {
      this.#level0 = present;
      this.#ratePerMs = slewUaPerS / 1000;
    }
    this.#target = targetUa;
    this.#downFromUa = this.#riseLevel(this.#downAtMs);
  }

  /** Ramped stop from the present level over rampDownMs. False when already idle or ramping down. */
  stop(nowMs: number): boolean {
    const s = this.stateAt(nowMs);
    if (s === 'idle' || s === 'ramping-down') return false;
    this.#downFromUa = this.#riseLevel(nowMs);
    this.#downAtMs = nowMs;
    this.#downEndMs = nowMs + this.#rampDownMs;
    return true;
  }

  /** Output to zero at once (ESTOP, faults, reset). */
  cut(): void {
    this.running = false;
    this.#downAtMs = this.#downEndMs = Number.POSITIVE_INFINITY;
  }

  /** Frozen firmware: the output stage keeps the last level, nothing moves any more. */
  freeze(nowMs: number): void {
    if (!this.running) return;
    const level = this.levelAt(nowMs);
    this.#t0 = nowMs;
    this.#level0 = level;
    this.#target = level;
    this.#ratePerMs = 0;
    this.#downAtMs = this.#downEndMs = Number.POSITIVE_INFINITY;
  }
}
