/**
 * When pulses happen, counted analytically (no timer or loop per pulse): `countUpTo(t)` is the number of
 * pulse onsets in [0, t] ms after START, so the pulses inside any sample interval (a, b] are
 * countUpTo(b) − countUpTo(a). Also the pulse's two phases, for charge accounting.
 *
 * - fixed rate (conventional, acupuncture-like, brief-intense, low-frequency): one pulse every 1/f;
 * - burst: a train of `burstPulses` at `burstFrequencyDeciHz`, repeated at `frequencyDeciHz`;
 * - modulated: the rate sweeps linearly low → high → low over `sweepPeriodMs` (a triangle), and a pulse
 *   fires each time the accumulated phase ∫f dt crosses a whole number.
 */
import { ASYMMETRIC_PHASE_RATIO, type Program } from '../../firmware-protocol/src/index.ts';

export interface PulseShape {
  /** Primary phase: width µs, at the channel's amplitude. */
  primaryUs: number;
  /** Balancing phase: width µs, at amplitude / secondaryDivisor, opposite polarity. */
  secondaryUs: number;
  secondaryDivisor: number;
}

/** Both waveforms are charge-balanced: primaryUs·I = secondaryUs·I/secondaryDivisor. */
export function pulseShape(program: Program): PulseShape {
  return program.waveform === 'asymmetric-biphasic'
    ? { primaryUs: program.pulseWidthUs, secondaryUs: program.pulseWidthUs * ASYMMETRIC_PHASE_RATIO, secondaryDivisor: ASYMMETRIC_PHASE_RATIO }
    : { primaryUs: program.pulseWidthUs, secondaryUs: program.pulseWidthUs, secondaryDivisor: 1 };
}

export class PulseTrain {
  readonly #kind: 'fixed' | 'burst' | 'sweep';
  /** fixed: pulse period; burst: burst period; sweep: sweep period (ms). */
  readonly #periodMs: number;
  /** burst: pulse period inside a train (ms) and pulses per train. */
  readonly #innerPeriodMs: number;
  readonly #pulsesPerBurst: number;
  /** sweep: rates in pulses per ms at the low and high ends, and the phase accumulated per period. */
  readonly #lowPerMs: number;
  readonly #highPerMs: number;
  readonly #phasePerPeriod: number;

  constructor(program: Program) {
    this.#innerPeriodMs = 0;
    this.#pulsesPerBurst = 0;
    this.#lowPerMs = 0;
    this.#highPerMs = 0;
    this.#phasePerPeriod = 0;
    if (program.mode === 'burst') {
      this.#kind = 'burst';
      this.#periodMs = 10_000 / program.frequencyDeciHz;
      this.#innerPeriodMs = 10_000 / program.burstFrequencyDeciHz;
      this.#pulsesPerBurst = program.burstPulses;
    } else if (program.mode === 'modulated') {
      this.#kind = 'sweep';
      this.#periodMs = program.sweepPeriodMs;
      this.#lowPerMs = program.frequencyDeciHz / 10_000;
      this.#highPerMs = program.sweepHighDeciHz / 10_000;
      this.#phasePerPeriod = ((this.#lowPerMs + this.#highPerMs) / 2) * this.#periodMs;
    } else {
      this.#kind = 'fixed';
      this.#periodMs = 10_000 / program.frequencyDeciHz;
    }
  }

  /** Pulse onsets in [0, tMs]; the first pulse fires at START (t = 0). */
  countUpTo(tMs: number): number {
    if (tMs < 0) return 0;
    switch (this.#kind) {
      case 'fixed':
        return Math.floor(tMs / this.#periodMs) + 1;
      case 'burst': {
        const bursts = Math.floor(tMs / this.#periodMs);
        const inTrain = Math.floor((tMs - bursts * this.#periodMs) / this.#innerPeriodMs) + 1;
        return bursts * this.#pulsesPerBurst + Math.min(this.#pulsesPerBurst, inTrain);
      }
      case 'sweep':
        return Math.floor(this.phaseAt(tMs)) + 1;
    }
  }

  /** Onset of pulse number `index` (0-based), ms after START: the inverse of countUpTo. */
  onsetMs(index: number): number {
    switch (this.#kind) {
      case 'fixed':
        return index * this.#periodMs;
      case 'burst': {
        const bursts = Math.floor(index / this.#pulsesPerBurst);
        return bursts * this.#periodMs + (index - bursts * this.#pulsesPerBurst) * this.#innerPeriodMs;
      }
      case 'sweep': {
        const P = this.#periodMs;
        const periods = Math.floor(index / this.#phasePerPeriod);
        const rem = index - periods * this.#phasePerPeriod;
        const half = this.#phasePerPeriod / 2;
        const within = rem <= half ? this.#invRise(rem) : P - this.#invRise(this.#phasePerPeriod - rem);
        return periods * P + within;
      }
    }
  }

  /** Solve low·x + (high − low)·x²/P = y for x ≥ 0, in the cancellation-free form 2y / (b + √(b² + 4ay)). */
  #invRise(y: number): number {
    const a = (this.#highPerMs - this.#lowPerMs) / this.#periodMs;
    const b = this.#lowPerMs;
    return y <= 0 ? 0 : (2 * y) / (b + Math.sqrt(b * b + 4 * a * y));
  }

  /** Sweep mode: accumulated phase ∫₀ᵗ f dt, in pulses. */
  phaseAt(tMs: number): number {
    const P = this.#periodMs;
    const periods = Math.floor(tMs / P);
    const tau = tMs - periods * P;
    // Rising half: f(τ) = low + (high − low)·2τ/P, ∫ = low·τ + (high − low)·τ²/P. The falling half mirrors it.
    const rise = (x: number) => this.#lowPerMs * x + ((this.#highPerMs - this.#lowPerMs) * x * x) / P;
    const within = tau <= P / 2 ? rise(tau) : this.#phasePerPeriod - rise(P - tau);
    return periods * this.#phasePerPeriod + within;
  }
}
