/**
 * A raised current-density limit for ONE session. The 2 mA/cm² r.m.s. level (IEC 60601-2-10) applies to
 * every program; a lab may raise it only deliberately: for one session, with the reason typed, and both
 * written into that session's record. It is never a stored setting.
 */
import { DEFAULT_MAX_CURRENT_DENSITY_UA_PER_CM2, MAX_CURRENT_DENSITY_OVERRIDE_UA_PER_CM2 } from '../../../firmware-protocol/src/index.ts';

export interface DensityOverride {
  /** The raised r.m.s. current-density limit, µA/cm² (above the default, at most the override maximum). */
  limitUaPerCm2: number;
  /** Why, in the operator's words (recorded with the session). */
  reason: string;
}

/** Shortest reason accepted: a word or two, not a stray key press. */
export const MIN_OVERRIDE_REASON_CHARS = 8;

/** The problem with an override in plain words, or null when it may be used. */
export function densityOverrideProblem(override: DensityOverride): string | null {
  const limit = override.limitUaPerCm2;
  if (!Number.isInteger(limit) || limit <= DEFAULT_MAX_CURRENT_DENSITY_UA_PER_CM2 || limit > MAX_CURRENT_DENSITY_OVERRIDE_UA_PER_CM2) {
    return `a raised density limit must be above ${DEFAULT_MAX_CURRENT_DENSITY_UA_PER_CM2 / 1000} mA/cm² and at most ${MAX_CURRENT_DENSITY_OVERRIDE_UA_PER_CM2 / 1000} mA/cm² (got ${Number.isFinite(limit) ? limit / 1000 : String(limit)} mA/cm²)`;
  }
  if (typeof override.reason !== 'string' || override.reason.trim().length < MIN_OVERRIDE_REASON_CHARS) {
    return `type the reason for raising the density limit (at least ${MIN_OVERRIDE_REASON_CHARS} characters); it is written into the session record`;
  }
  return null;
}
