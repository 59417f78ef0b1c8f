/**
 * The program being edited for one channel, with the effective limits and derived figures the card
 * shows. The draft is only ever changed to values inside the limits (the fields refuse the rest), and
 * validateProgram is run again on the whole program before anything is sent.
 */
import {
  amplitudeCeiling,
  chargePerPhaseNc,
  currentDensityUaPerCm2,
  effectiveLimits,
  minRampUpMs,
  rmsCurrentUa,
  validateProgram,
  type Bound,
  type EffectiveLimits,
  type Mode,
  type Program,
  type ValidationContext,
  type ValidationResult,
} from '../../../firmware-protocol/src/index.ts';
import { defaultProgram } from './modeDefaults.ts';
import { missingElectrodeViolation } from '../../lib/device/electrodeArea.ts';

export class ChannelDraftState {
  #program = $state<Program>(defaultProgram('conventional', 0));
  #context = $state<ValidationContext>({});

  constructor(channel: number) {
    this.#program = defaultProgram('conventional', channel);
  }

  get program(): Program {
    return this.#program;
  }
  get context(): ValidationContext {
    return this.#context;
  }
  get limits(): EffectiveLimits {
    return effectiveLimits(this.#program.mode, this.#context);
  }
  /** Highest amplitude for this program and what binds it (mode, caps, lab, r.m.s., density). */
  get amplitudeMax(): Bound {
    return amplitudeCeiling(this.#program, this.#context);
  }
  /** Shortest ramp-up the slew limit allows for the present amplitude. */
  get rampUpMin(): Bound {
    const slew = this.limits.slewUaPerS;
    return { value: minRampUpMs(this.#program.amplitudeUa, slew.value), source: slew.source, reason: `${slew.reason}, ${slew.value / 1000} mA/s` };
  }
  /**
   * Upper bound for a rate or width field that keeps the present amplitude within its ceiling: raising
   * the pulse width or rate raises the r.m.s. current, so the table bound may not be the binding one.
   */
  maxKeepingAmplitude(field: 'frequencyDeciHz' | 'pulseWidthUs' | 'burstPulses' | 'sweepHighDeciHz', tableMax: Bound): Bound {
    const p = this.#program;
    const fits = (v: number) => amplitudeCeiling({ ...p, [field]: v }, this.#context).value >= p.amplitudeUa;
    if (fits(tableMax.value)) return tableMax;
    let lo = 0;
    let hi = tableMax.value;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (fits(mid)) lo = mid;
      else hi = mid;
    }
    const binding = amplitudeCeiling({ ...p, [field]: hi }, this.#context);
    return { value: lo, source: binding.source, reason: `${binding.reason} at ${(p.amplitudeUa / 1000).toFixed(1)} mA` };
  }

  get rmsUa(): number {
    return rmsCurrentUa(this.#program);
  }
  /** r.m.s. current of this program at another peak amplitude (the live target while it runs). */
  rmsAt(amplitudeUa: number): number {
    return rmsCurrentUa(this.#program, amplitudeUa);
  }
  /** Current density at another peak amplitude; null until the electrode pads are chosen. */
  densityAt(amplitudeUa: number): number | null {
    const area = this.#context.electrodeAreaCm2;
    return area ? currentDensityUaPerCm2(this.#program, area, amplitudeUa) : null;
  }
  get chargePerPhaseNc(): number {
    return chargePerPhaseNc(this.#program);
  }
  get densityUaPerCm2(): number | null {
    const area = this.#context.electrodeAreaCm2;
    return area ? currentDensityUaPerCm2(this.#program, area) : null;
  }
  /** The whole program checked, and refused while the channel has no electrode chosen (nothing is sent). */
  get validation(): ValidationResult {
    const result = validateProgram(this.#program, this.#context);
    if (this.#context.electrodeAreaCm2 !== undefined) return result;
    return { ok: false, violations: [...(result.ok ? [] : result.violations), missingElectrodeViolation(this.#program.channel)] };
  }

  setContext(context: ValidationContext): void {
    this.#context = context;
  }

  setMode(mode: Mode): void {
    this.#program = defaultProgram(mode, this.#program.channel);
  }

  /** Set one field; the ramp-up follows the amplitude so the slew limit always holds. */
  set<K extends keyof Program>(field: K, value: Program[K]): void {
    const next = { ...this.#program, [field]: value };
    if (field === 'amplitudeUa') {
      const slew = effectiveLimits(next.mode, this.#context).slewUaPerS.value;
      next.rampUpMs = Math.max(next.rampUpMs, minRampUpMs(next.amplitudeUa, slew));
    }
    this.#program = next;
  }

  replace(program: Program): void {
    this.#program = { ...program };
  }
}
