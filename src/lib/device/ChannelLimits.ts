/**
 * The host-side limits that are not the board's: the lab cap (may only tighten), the electrode area of
 * each channel (required: without it current density cannot be checked), and a per-session density
 * override on a channel. Builds the validation context for one channel; refuses implausible input with
 * a typed error so nothing unchecked ever reaches a validation.
 */
import {
  DEFAULT_MAX_CURRENT_DENSITY_UA_PER_CM2,
  type BoardCaps,
  type LabCap,
  type ValidationContext,
  type ValidationResult,
} from '../../../firmware-protocol/src/index.ts';
import { densityOverrideProblem, type DensityOverride } from './densityOverride.ts';
import { electrodeAreaProblem, missingElectrodeViolation } from './electrodeArea.ts';
import { InvalidArgumentError } from './errors.ts';

export interface LimitsSettings {
  labCap?: LabCap;
  /** Electrode area per channel index (0-based), cm². A channel left out has no electrode chosen. */
  electrodeAreasCm2?: Readonly<Record<number, number>>;
}

export class ChannelLimits {
  #labCap: LabCap | undefined;
  #areas = new Map<number, number>();
  #overrides = new Map<number, DensityOverride>();

  /** Replace the lab cap and electrode areas. Throws InvalidArgumentError (nothing changed) on bad input. */
  set(settings: LimitsSettings): void {
    const raised = settings.labCap?.maxCurrentDensityUaPerCm2;
    if (raised !== undefined && raised > DEFAULT_MAX_CURRENT_DENSITY_UA_PER_CM2) {
      throw new InvalidArgumentError('labCap.maxCurrentDensityUaPerCm2', raised, `at most ${DEFAULT_MAX_CURRENT_DENSITY_UA_PER_CM2} µA/cm² (a raised density limit is a per-session override with a reason, never a lab setting)`);
    }
    const areas = new Map<number, number>();
    for (const [key, area] of Object.entries(settings.electrodeAreasCm2 ?? {})) {
      const problem = electrodeAreaProblem(area);
      if (problem) throw new InvalidArgumentError(`electrode area of channel ${Number(key) + 1}`, area, `1–150 cm² (${problem})`);
      areas.set(Number(key), area);
    }
    this.#labCap = settings.labCap;
    this.#areas = areas;
  }

  /** Raise the density limit on `channel` for one session (null ends it). Throws InvalidArgumentError. */
  setDensityOverride(channel: number, override: DensityOverride | null): void {
    if (override === null) {
      this.#overrides.delete(channel);
      return;
    }
    const problem = densityOverrideProblem(override);
    if (problem) throw new InvalidArgumentError('density override', override.limitUaPerCm2, problem);
    this.#overrides.set(channel, { limitUaPerCm2: override.limitUaPerCm2, reason: override.reason.trim() });
  }

  densityOverride(channel: number): DensityOverride | null {
    return this.#overrides.get(channel) ?? null;
  }

  electrodeAreaCm2(channel: number): number | null {
    return this.#areas.get(channel) ?? null;
  }

  /** Caps and lab cap: the part of the context that is the same on every channel. */
  shared(caps: Partial<BoardCaps> | undefined): ValidationContext {
    const context: ValidationContext = {};
    if (caps) context.caps = caps;
    if (this.#labCap) context.labCap = this.#labCap;
    return context;
  }

  /** The whole context for `channel`: caps, lab cap, its electrode area and any density override. */
  contextFor(caps: Partial<BoardCaps> | undefined, channel: number): ValidationContext {
    const context = this.shared(caps);
    const area = this.#areas.get(channel);
    if (area !== undefined) context.electrodeAreaCm2 = area;
    const override = this.#overrides.get(channel);
    if (override) context.labCap = { ...context.labCap, maxCurrentDensityUaPerCm2: override.limitUaPerCm2 };
    return context;
  }

  /**
   * `result` (a validation on `channel`) with one more violation when the channel has no electrode
   * area: without it the current-density limit could not bind, so nothing is sent.
   */
  requireElectrode(channel: number, result: ValidationResult): ValidationResult {
    if (this.#areas.has(channel)) return result;
    return { ok: false, violations: [...(result.ok ? [] : result.violations), missingElectrodeViolation(channel)] };
  }
}
