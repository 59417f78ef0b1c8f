/**
 * Which limit binds a session's amplitude and length, named for a person: the preset's own value (or the
 * target chosen for this session), the mode table, the board's cap, the lab cap, the current-density
 * limit (the default, or this session's raised override), charge per phase or r.m.s. current. The
 * validator's bounds name the rule that set them, but never the preset (it is not a limit of the
 * protocol) and call a raised density override a lab cap; a screen or a printout that reads them as
 * they are says "mode table" where the preset bound. Pure: the Session screen, the record view and the
 * printable report use these functions.
 */
import {
  DEFAULT_MAX_CURRENT_DENSITY_UA_PER_CM2,
  amplitudeCeiling,
  densityLimitUaPerCm2,
  effectiveLimits,
  maxAmplitudeForDensityUa,
  type Bound,
  type LimitSource,
  type Program,
  type ValidationContext,
} from '../../../firmware-protocol/src/index.ts';

/** The rules a bound can come from, the validator's plus the preset's own value and the session's choice. */
export type BindingSource = LimitSource | 'preset' | 'chosen' | 'density-override';

export interface BindingBound {
  value: number;
  source: BindingSource;
  reason: string;
}

/**
 * The lowest of `candidates` (at least one). On a tie the first listed wins: callers list the preset's
 * own value first, since a preset that asks for exactly the mode table's maximum is what the reader chose.
 */
export function tightestBound(candidates: readonly [BindingBound, ...BindingBound[]]): BindingBound {
  let best = candidates[0];
  for (const c of candidates) if (c.value < best.value) best = c;
  return best;
}

/**
 * A validator bound with a raised current-density override named as such (the validator reports it as
 * 'lab-cap', since the override travels in the lab cap of the context). `program` and `context` are the
 * ones the bound was computed for.
 */
export function nameAmplitudeCeiling(bound: Bound, program: Program, context: ValidationContext): BindingBound {
  const override = context.labCap?.maxCurrentDensityUaPerCm2;
  const area = context.electrodeAreaCm2;
  if (bound.source === 'lab-cap' && override !== undefined && override > DEFAULT_MAX_CURRENT_DENSITY_UA_PER_CM2 && area !== undefined && area > 0) {
    const limit = densityLimitUaPerCm2(context).value;
    if (maxAmplitudeForDensityUa(program, area, limit) === bound.value) {
      return { value: bound.value, source: 'density-override', reason: `current density ≤ ${(limit / 1000).toFixed(1)} mA/cm² (raised for this session) at ${area} cm²` };
    }
  }
  return { ...bound };
}

/**
 * The highest amplitude a preset session may reach on this channel, µA, and what binds it: the preset's
 * ceiling (scaled by a programme's night intensity, ‰), or the tightest limit of the mode table, board,
 * lab cap, density, charge per phase and r.m.s. current.
 */
export function presetAmplitudeLimit(presetProgram: Program, context: ValidationContext, intensityPermille = 1000): BindingBound {
  const own = Math.floor((presetProgram.amplitudeUa * intensityPermille) / 1000);
  const presetBound: BindingBound = {
    value: own,
    source: 'preset',
    reason: intensityPermille === 1000 ? "the preset's amplitude ceiling" : `the preset's ceiling at ${intensityPermille / 10} % (night intensity)`,
  };
  return tightestBound([presetBound, nameAmplitudeCeiling(amplitudeCeiling(presetProgram, context), presetProgram, context)]);
}

/** The longest a preset session may run, ms, and what binds it: the preset's length, the mode table or the lab cap. */
export function presetDurationLimit(presetProgram: Program, context: ValidationContext): BindingBound {
  const presetBound: BindingBound = { value: presetProgram.durationMs, source: 'preset', reason: 'the preset length, shorten only' };
  return tightestBound([presetBound, { ...effectiveLimits(presetProgram.mode, context).durationMs.max }]);
}

/** What a finished session's record needs to name its binding amplitude limit. */
export interface RecordedLimits {
  program: Program;
  presetId: string | null;
  amplitudeCeiling: Bound;
  labCap: ValidationContext['labCap'] | null;
  electrodeAreaCm2: number | null;
}

/**
 * Which limit bound a recorded session's amplitude: its planned amplitude (the preset's ceiling or the
 * target chosen for it), or the recorded ceiling when that was lower or equal.
 */
export function recordedAmplitudeBinding(r: RecordedLimits): BindingBound {
  const context: ValidationContext = {
    ...(r.labCap ? { labCap: r.labCap } : {}),
    ...(r.electrodeAreaCm2 !== null ? { electrodeAreaCm2: r.electrodeAreaCm2 } : {}),
  };
  const ceiling = nameAmplitudeCeiling(r.amplitudeCeiling, r.program, context);
  const planned: BindingBound = {
    value: r.program.amplitudeUa,
    source: r.presetId !== null ? 'preset' : 'chosen',
    reason: r.presetId !== null ? "the preset's amplitude (or the target chosen below it)" : 'the amplitude set for this session',
  };
  // The external limit is named on a tie here: the plan was already cut to it when the session began.
  return tightestBound([ceiling, planned]);
}
