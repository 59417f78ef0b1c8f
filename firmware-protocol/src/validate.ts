/**
 * The program validator: one pure function used by the host before encoding, by the UI to bound its
 * inputs, and (as its own copy of the rules) by the simulated board. It reports every violation, each
 * naming the field, the value, the bound and the limit that set it.
 */
import type { BoardCaps } from './messages.ts';
import { chargeWithinLimit, maxAmplitudeForChargeUa } from './chargeLimit.ts';
import {
  DEFAULT_MAX_CURRENT_DENSITY_UA_PER_CM2,
  MAX_CHARGE_PER_PHASE_NC,
  MAX_CHANNEL_INDEX,
  MAX_CURRENT_DENSITY_OVERRIDE_UA_PER_CM2,
  MAX_RAMP_MS,
  MAX_RMS_CURRENT_UA,
  MAX_SLEW_UA_PER_S,
  MIN_DURATION_MS,
  MODE_LIMITS,
} from './limits.ts';
import { ASYMMETRIC_PHASE_RATIO, MODES, WAVEFORMS, type Mode, type Program } from './program.ts';
import { maxAmplitudeForDensityUa, maxAmplitudeForRmsUa, rmsWithinLimit } from './rmsLimit.ts';

/** Which rule set a bound. */
export type LimitSource =
  | 'mode-table'
  | 'board-caps'
  | 'lab-cap'
  | 'rms-current'
  | 'charge-per-phase'
  | 'current-density'
  | 'slew-rate'
  | 'protocol';

export type ProgramField = keyof Program;

export interface Violation {
  field: ProgramField;
  value: number | string;
  bound: number | string;
  kind: 'min' | 'max' | 'integer' | 'enum' | 'must-be-zero' | 'order';
  source: LimitSource;
  message: string;
}

/** A lab's own, tighter limits. All optional; values above the mode table are ignored. */
export interface LabCap {
  maxAmplitudeUa?: number;
  maxFrequencyDeciHz?: number;
  maxPulseWidthUs?: number;
  maxDurationMs?: number;
  /**
   * r.m.s. current density limit, µA/cm². The only lab setting that may RAISE a default (the 2 mA/cm²
   * IEC warning level), up to MAX_CURRENT_DENSITY_OVERRIDE_UA_PER_CM2; callers must record the override.
   */
  maxCurrentDensityUaPerCm2?: number;
}

export interface ValidationContext {
  caps?: Partial<BoardCaps>;
  labCap?: LabCap;
  /** Electrode area, cm²; enables the current-density check. */
  electrodeAreaCm2?: number;
}

export type ValidationResult = { ok: true } | { ok: false; violations: Violation[] };

export interface Bound {
  value: number;
  source: LimitSource;
  reason: string;
}
export interface BoundRange {
  min: Bound;
  max: Bound;
}

/** The limits in force for a mode, before the amplitude-dependent r.m.s./density checks. */
export interface EffectiveLimits {
  mode: Mode;
  frequencyDeciHz: BoundRange;
  pulseWidthUs: BoundRange;
  amplitudeUa: BoundRange;
  durationMs: BoundRange;
  rampDownMs: BoundRange;
  /** Slowest allowed slew sets the shortest ramp-up for a given amplitude. */
  slewUaPerS: Bound;
  burstPulses?: BoundRange;
  burstFrequencyDeciHz?: BoundRange;
  burstMaxTrainMs?: Bound;
  sweepPeriodMs?: BoundRange;
  channelMax: Bound;
}

/** Keep the tighter of two upper bounds (ties keep the first, so the mode table is named first). */
function tighterMax(current: Bound, value: number | undefined, source: LimitSource, reason: string): Bound {
  if (value === undefined || !Number.isFinite(value) || value >= current.value) return current;
  return { value, source, reason };
}
function tighterMin(current: Bound, value: number | undefined, source: LimitSource, reason: string): Bound {
  if (value === undefined || !Number.isFinite(value) || value <= current.value) return current;
  return { value, source, reason };
}

/** Mode-table and protocol bounds, built once (frozen: callers receive these very objects). */
interface TableBounds {
  freqMin: Bound;
  freqMax: Bound;
  pwMin: Bound;
  pwMax: Bound;
  ampMax: Bound;
  durMax: Bound;
  burstPulses?: BoundRange;
  burstFreqMin?: Bound;
  burstFreqMax?: Bound;
  burstMaxTrainMs?: Bound;
  sweepPeriodMs?: BoundRange;
}
const frozen = (value: number, source: LimitSource, reason: string): Bound => Object.freeze({ value, source, reason });
const TABLE_BOUNDS = Object.fromEntries(
  MODES.map((mode): [Mode, TableBounds] => {
    const m = MODE_LIMITS[mode];
    const t = (value: number, reason: string) => frozen(value, 'mode-table', reason);
    const b: TableBounds = {
      freqMin: t(m.frequencyDeciHz.min, `${mode} mode`),
      freqMax: t(m.frequencyDeciHz.max, `${mode} mode`),
      pwMin: t(m.pulseWidthUs.min, `${mode} mode`),
      pwMax: t(m.pulseWidthUs.max, `${mode} mode`),
      ampMax: t(m.maxAmplitudeUa, `${mode} mode`),
      durMax: t(m.maxDurationMs, `longest ${mode} session`),
    };
    if (m.burst) {
      b.burstPulses = Object.freeze({ min: t(m.burst.pulses.min, 'burst mode'), max: t(m.burst.pulses.max, 'burst mode') });
      b.burstFreqMin = t(m.burst.frequencyDeciHz.min, 'burst mode');
      b.burstFreqMax = t(m.burst.frequencyDeciHz.max, 'burst mode');
      b.burstMaxTrainMs = t(m.burst.maxTrainMs, 'burst train length');
    }
    if (m.sweep) b.sweepPeriodMs = Object.freeze({ min: t(m.sweep.periodMs.min, 'sweep period'), max: t(m.sweep.periodMs.max, 'sweep period') });
    return [mode, Object.freeze(b)];
  }),
) as Record<Mode, TableBounds>;
const AMPLITUDE_MIN = frozen(0, 'protocol', 'amplitude cannot be negative');
const DURATION_MIN = frozen(MIN_DURATION_MS, 'protocol', 'shortest program');
const RAMP_DOWN = Object.freeze({ min: frozen(0, 'protocol', 'no negative ramp'), max: frozen(MAX_RAMP_MS, 'protocol', 'longest ramp') });
const SLEW = frozen(MAX_SLEW_UA_PER_S, 'slew-rate', 'StimBench slew limit');
const CHANNEL_MAX = frozen(MAX_CHANNEL_INDEX, 'protocol', 'highest channel index');
const NO_CAPS: Partial<BoardCaps> = Object.freeze({});
const NO_LAB_CAP: LabCap = Object.freeze({});

/** The tightest of the mode table, the board's caps and the lab cap, with the source of each bound. */
export function effectiveLimits(mode: Mode, context: ValidationContext = {}): EffectiveLimits {
  const t = TABLE_BOUNDS[mode];
  const caps = context.caps ?? NO_CAPS;
  const lab = context.labCap ?? NO_LAB_CAP;
  const count = caps.channelCount;
  const limits: EffectiveLimits = {
    mode,
    frequencyDeciHz: {
      min: tighterMin(t.freqMin, caps.minFrequencyDeciHz, 'board-caps', 'board minimum'),
      max: tighterMax(tighterMax(t.freqMax, caps.maxFrequencyDeciHz, 'board-caps', 'board maximum'), lab.maxFrequencyDeciHz, 'lab-cap', 'lab cap'),
    },
    pulseWidthUs: {
      min: t.pwMin,
      max: tighterMax(tighterMax(t.pwMax, caps.maxPulseWidthUs, 'board-caps', 'board maximum'), lab.maxPulseWidthUs, 'lab-cap', 'lab cap'),
    },
    amplitudeUa: {
      min: AMPLITUDE_MIN,
      max: tighterMax(tighterMax(t.ampMax, caps.maxAmplitudeUa, 'board-caps', 'board maximum'), lab.maxAmplitudeUa, 'lab-cap', 'lab cap'),
    },
    durationMs: { min: DURATION_MIN, max: tighterMax(t.durMax, lab.maxDurationMs, 'lab-cap', 'lab cap') },
    rampDownMs: RAMP_DOWN,
    slewUaPerS: tighterMax(SLEW, caps.maxSlewUaPerS, 'board-caps', 'board slew limit'),
    // A channel count that is not a finite number is ignored like any other unusable cap.
    channelMax: count !== undefined && Number.isFinite(count) && count - 1 < MAX_CHANNEL_INDEX
      ? { value: count - 1, source: 'board-caps', reason: `board has ${count} channel(s)` }
      : CHANNEL_MAX,
  };
  if (t.burstPulses && t.burstFreqMin && t.burstFreqMax && t.burstMaxTrainMs) {
    limits.burstPulses = t.burstPulses;
    limits.burstFrequencyDeciHz = {
      min: t.burstFreqMin,
      max: tighterMax(tighterMax(t.burstFreqMax, caps.maxFrequencyDeciHz, 'board-caps', 'board maximum'), lab.maxFrequencyDeciHz, 'lab-cap', 'lab cap'),
    };
    limits.burstMaxTrainMs = t.burstMaxTrainMs;
  }
  if (t.sweepPeriodMs) limits.sweepPeriodMs = t.sweepPeriodMs;
  return limits;
}

/** Mean pulse rate in Hz used for the r.m.s. computation (the highest rate for a sweep: worst case). */
export function pulseRateHz(program: Program): number {
  switch (program.mode) {
    case 'burst':
      return (program.frequencyDeciHz / 10) * program.burstPulses;
    case 'modulated':
      return Math.max(program.frequencyDeciHz, program.sweepHighDeciHz) / 10;
    default:
      return program.frequencyDeciHz / 10;
  }
}

/**
 * Phase time per pulse that, at the peak amplitude, carries the same energy as the real pulse, µs.
 * Symmetric: two phases at I. Asymmetric: pw at I plus ratio·pw at I/ratio → pw·(1 + 1/ratio).
 */
export function equivalentPhaseTimeUs(program: Program): number {
  return program.waveform === 'asymmetric-biphasic'
    ? program.pulseWidthUs * (1 + 1 / ASYMMETRIC_PHASE_RATIO)
    : 2 * program.pulseWidthUs;
}

/** r.m.s. current, µA: I_peak · sqrt(phase time · pulse rate) (IEC 60601-2-10 formulation). */
export function rmsCurrentUa(program: Program, amplitudeUa = program.amplitudeUa): number {
  return amplitudeUa * Math.sqrt((equivalentPhaseTimeUs(program) / 1e6) * pulseRateHz(program));
}

/** Charge per phase (primary phase), nC. */
export function chargePerPhaseNc(program: Program, amplitudeUa = program.amplitudeUa): number {
  return (amplitudeUa * program.pulseWidthUs) / 1000;
}

/** r.m.s. current density, µA/cm². */
export function currentDensityUaPerCm2(program: Program, electrodeAreaCm2: number, amplitudeUa = program.amplitudeUa): number {
  return rmsCurrentUa(program, amplitudeUa) / electrodeAreaCm2;
}

/** The density limit in force: the IEC default, or a lab override (capped). */
export function densityLimitUaPerCm2(context: ValidationContext = {}): Bound {
  const override = context.labCap?.maxCurrentDensityUaPerCm2;
  if (override !== undefined && Number.isFinite(override) && override > 0) {
    const value = Math.min(override, MAX_CURRENT_DENSITY_OVERRIDE_UA_PER_CM2);
    return { value, source: 'lab-cap', reason: 'current-density override for this session' };
  }
  return { value: DEFAULT_MAX_CURRENT_DENSITY_UA_PER_CM2, source: 'current-density', reason: 'IEC 60601-2-10 warning level' };
}

/**
 * Highest amplitude this program may use, µA, and what binds it: the effective amplitude limit, the
 * charge-per-phase cap at this width, the r.m.s. current limit at this rate and width, or the
 * current-density limit with the configured area.
 */
export function amplitudeCeiling(program: Program, context: ValidationContext = {}): Bound {
  // Same integer ceilings as validateProgram, so a value offered here is never refused there.
  let bound = effectiveLimits(program.mode, context).amplitudeUa.max;
  const chargeMax = maxAmplitudeForChargeUa(program);
  if (chargeMax < bound.value) bound = { value: chargeMax, source: 'charge-per-phase', reason: `charge per phase ≤ ${MAX_CHARGE_PER_PHASE_NC / 1000} µC at ${program.pulseWidthUs} µs` };
  const rmsMax = maxAmplitudeForRmsUa(program);
  if (rmsMax < bound.value) bound = { value: rmsMax, source: 'rms-current', reason: 'r.m.s. current ≤ 50 mA (IEC 60601-2-10)' };
  const area = context.electrodeAreaCm2;
  if (area !== undefined && Number.isFinite(area) && area > 0) {
    const density = densityLimitUaPerCm2(context);
    const densityMax = maxAmplitudeForDensityUa(program, area, density.value);
    if (densityMax < bound.value) bound = { value: densityMax, source: density.source === 'lab-cap' ? 'lab-cap' : 'current-density', reason: `${density.reason} at ${area} cm²` };
  }
  return bound;
}

/**
 * Shortest ramp-up that respects the slew limit for `amplitudeUa`, ms. A slew limit that is not a
 * positive number (a board advertising 0, or a bad caps object) allows no rise at all: Infinity, never
 * a negative or NaN bound that every ramp would pass.
 */
export function minRampUpMs(amplitudeUa: number, slewUaPerS: number): number {
  if (amplitudeUa <= 0) return 0;
  if (!(slewUaPerS > 0)) return Number.POSITIVE_INFINITY;
  return Math.ceil((amplitudeUa * 1000) / slewUaPerS);
}

// Wire widths of each numeric field: a value that does not fit is refused, never truncated.
const WIRE_MAX: Record<Exclude<ProgramField, 'mode' | 'waveform'>, number> = {
  channel: MAX_CHANNEL_INDEX,
  frequencyDeciHz: 0xffff,
  pulseWidthUs: 0xffff,
  amplitudeUa: 0xffffffff,
  durationMs: 0xffffffff,
  rampUpMs: 0xffffffff,
  rampDownMs: 0xffffffff,
  burstPulses: 0xff,
  burstFrequencyDeciHz: 0xffff,
  sweepHighDeciHz: 0xffff,
  sweepPeriodMs: 0xffffffff,
};

const WIRE_ENTRIES = Object.entries(WIRE_MAX) as [keyof typeof WIRE_MAX, number][];

/** Check a program against every limit of PROTOCOL.md § 13 (and the host-only ones). Pure; never throws. */
export function validateProgram(program: Program, context: ValidationContext = {}): ValidationResult {
  const v: Violation[] = [];
  const push = (field: ProgramField, value: number | string, bound: number | string, kind: Violation['kind'], source: LimitSource, message: string) =>
    v.push({ field, value, bound, kind, source, message });

  if (typeof program !== 'object' || program === null) {
    return { ok: false, violations: [{ field: 'mode', value: String(program), bound: 'object', kind: 'enum', source: 'protocol', message: 'program is not an object' }] };
  }

  // 1. Shape: every numeric field a non-negative integer that fits its wire width.
  let shapeOk = true;
  for (const [field, max] of WIRE_ENTRIES) {
    const value = program[field] as unknown;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) {
      shapeOk = false;
      push(field, typeof value === 'number' ? value : String(value), `integer 0–${max}`, 'integer', 'protocol', `${field} must be an integer from 0 to ${max}`);
    }
  }
  const modeOk = (MODES as readonly string[]).includes(program.mode);
  if (!modeOk) push('mode', String(program.mode), MODES.join('|'), 'enum', 'protocol', `unknown mode "${String(program.mode)}"`);
  if (!(WAVEFORMS as readonly string[]).includes(program.waveform)) {
    push('waveform', String(program.waveform), WAVEFORMS.join('|'), 'enum', 'protocol', `unknown waveform "${String(program.waveform)}" (only charge-balanced biphasic waveforms)`);
  }
  if (!modeOk || !shapeOk) return { ok: false, violations: v };

  // 2. Ranges: the tightest of mode table, board caps and lab cap.
  const lim = effectiveLimits(program.mode, context);
  const range = (field: ProgramField, value: number, r: BoundRange, unit: string) => {
    if (value < r.min.value) push(field, value, r.min.value, 'min', r.min.source, `${field} ${value} ${unit} is below ${r.min.value} ${unit} (${r.min.reason})`);
    if (value > r.max.value) push(field, value, r.max.value, 'max', r.max.source, `${field} ${value} ${unit} is above ${r.max.value} ${unit} (${r.max.reason})`);
  };
  if (program.channel > lim.channelMax.value) {
    push('channel', program.channel, lim.channelMax.value, 'max', lim.channelMax.source, `channel ${program.channel} does not exist (${lim.channelMax.reason})`);
  }
  range('frequencyDeciHz', program.frequencyDeciHz, lim.frequencyDeciHz, '×0.1 Hz');
  range('pulseWidthUs', program.pulseWidthUs, lim.pulseWidthUs, 'µs');
  range('amplitudeUa', program.amplitudeUa, lim.amplitudeUa, 'µA');
  range('durationMs', program.durationMs, lim.durationMs, 'ms');
  range('rampDownMs', program.rampDownMs, lim.rampDownMs, 'ms');

  // 3. Ramps: every rise is a ramp at a bounded slew rate; ramps fit inside the session.
  const rampMin = minRampUpMs(program.amplitudeUa, lim.slewUaPerS.value);
  if (program.rampUpMs < rampMin) {
    push('rampUpMs', program.rampUpMs, rampMin, 'min', lim.slewUaPerS.source, `ramp-up ${program.rampUpMs} ms is too fast for ${program.amplitudeUa} µA (${lim.slewUaPerS.reason}: ${lim.slewUaPerS.value} µA/s)`);
  }
  if (program.rampUpMs > MAX_RAMP_MS) push('rampUpMs', program.rampUpMs, MAX_RAMP_MS, 'max', 'protocol', `ramp-up longer than ${MAX_RAMP_MS} ms`);
  if (program.rampUpMs + program.rampDownMs > program.durationMs) {
    push('durationMs', program.durationMs, program.rampUpMs + program.rampDownMs, 'order', 'protocol', 'ramp-up plus ramp-down must fit inside the duration');
  }

  // 4. Mode-specific fields: present only where the mode uses them.
  if (lim.burstPulses && lim.burstFrequencyDeciHz && lim.burstMaxTrainMs) {
    range('burstPulses', program.burstPulses, lim.burstPulses, 'pulses');
    range('burstFrequencyDeciHz', program.burstFrequencyDeciHz, lim.burstFrequencyDeciHz, '×0.1 Hz');
    // Train length = pulses / intra-burst rate; integer form: pulses·10000 ≤ maxTrainMs·rate(0.1 Hz).
    if (program.burstFrequencyDeciHz > 0 && program.burstPulses * 10_000 > lim.burstMaxTrainMs.value * program.burstFrequencyDeciHz) {
      const trainMs = (program.burstPulses * 10_000) / program.burstFrequencyDeciHz;
      push('burstPulses', program.burstPulses, Math.floor((lim.burstMaxTrainMs.value * program.burstFrequencyDeciHz) / 10_000), 'max', 'mode-table', `burst train ${trainMs.toFixed(1)} ms exceeds ${lim.burstMaxTrainMs.value} ms`);
    }
  } else {
    if (program.burstPulses !== 0) push('burstPulses', program.burstPulses, 0, 'must-be-zero', 'protocol', 'burstPulses is only used in burst mode');
    if (program.burstFrequencyDeciHz !== 0) push('burstFrequencyDeciHz', program.burstFrequencyDeciHz, 0, 'must-be-zero', 'protocol', 'burstFrequencyDeciHz is only used in burst mode');
  }
  if (lim.sweepPeriodMs) {
    range('sweepHighDeciHz', program.sweepHighDeciHz, lim.frequencyDeciHz, '×0.1 Hz');
    if (program.sweepHighDeciHz <= program.frequencyDeciHz) {
      push('sweepHighDeciHz', program.sweepHighDeciHz, program.frequencyDeciHz + 1, 'order', 'protocol', 'sweep high end must be above the low end (frequencyDeciHz)');
    }
    range('sweepPeriodMs', program.sweepPeriodMs, lim.sweepPeriodMs, 'ms');
  } else {
    if (program.sweepHighDeciHz !== 0) push('sweepHighDeciHz', program.sweepHighDeciHz, 0, 'must-be-zero', 'protocol', 'sweepHighDeciHz is only used in modulated mode');
    if (program.sweepPeriodMs !== 0) push('sweepPeriodMs', program.sweepPeriodMs, 0, 'must-be-zero', 'protocol', 'sweepPeriodMs is only used in modulated mode');
  }

  // 5. Charge per phase, r.m.s. current and current density (amplitude-dependent).
  // Exact integer comparison (chargeLimit.ts): amplitude(µA) · width(µs) ≤ 25 µC in pC.
  if (!chargeWithinLimit(program)) {
    const chargeMaxUa = maxAmplitudeForChargeUa(program);
    push('amplitudeUa', program.amplitudeUa, chargeMaxUa, 'max', 'charge-per-phase', `charge per phase ${((program.amplitudeUa * program.pulseWidthUs) / 1e6).toFixed(2)} µC exceeds ${MAX_CHARGE_PER_PHASE_NC / 1000} µC; at ${program.pulseWidthUs} µs the most is ${chargeMaxUa} µA`);
  }
  // Exact integer comparison (rmsLimit.ts): amplitude² · phase(¼ µs) · rate(0.1 Hz) ≤ 10¹⁷.
  if (!rmsWithinLimit(program)) {
    const rmsMaxUa = maxAmplitudeForRmsUa(program);
    const rms = rmsCurrentUa(program);
    push('amplitudeUa', program.amplitudeUa, rmsMaxUa, 'max', 'rms-current', `r.m.s. current ${(rms / 1000).toFixed(1)} mA exceeds ${MAX_RMS_CURRENT_UA / 1000} mA (IEC 60601-2-10); at this rate and width the most is ${rmsMaxUa} µA`);
  }
  const area = context.electrodeAreaCm2;
  if (area !== undefined) {
    if (!Number.isFinite(area) || area <= 0) {
      push('amplitudeUa', program.amplitudeUa, 'electrode area > 0', 'min', 'current-density', 'electrode area must be a positive number of cm²');
    } else {
      const limit = densityLimitUaPerCm2(context);
      const bound = maxAmplitudeForDensityUa(program, area, limit.value);
      if (program.amplitudeUa > bound) {
        const density = currentDensityUaPerCm2(program, area);
        push('amplitudeUa', program.amplitudeUa, bound, 'max', limit.source === 'lab-cap' ? 'lab-cap' : 'current-density', `current density ${(density / 1000).toFixed(2)} mA/cm² exceeds ${(limit.value / 1000).toFixed(2)} mA/cm² (${limit.reason}) at ${area} cm²`);
      }
    }
  }
  return v.length === 0 ? { ok: true } : { ok: false, violations: v };
}

/**
 * A live amplitude change (SET_AMPLITUDE) on a channel running `program`: every limit of the program
 * applies with `amplitudeUa` substituted (mode table, caps, lab cap, r.m.s. current, density), except the
 * ramp-up-versus-slew rule: a live rise is slewed by the board at its slew limit (PROTOCOL.md § 12.4),
 * not by the program's ramp.
 */
export function validateAmplitudeChange(program: Program, amplitudeUa: number, context: ValidationContext = {}): ValidationResult {
  const result = validateProgram({ ...program, amplitudeUa }, context);
  if (result.ok) return result;
  const violations = result.violations.filter((x) => !(x.field === 'rampUpMs' && x.kind === 'min' && x.source !== 'protocol'));
  return violations.length === 0 ? { ok: true } : { ok: false, violations };
}
