/**
 * The program validator: one pure function used by the host before encoding, by the UI to bound its
 * inputs, and (as its own copy of the rules) by the simulated board. It reports every violation, each
 * naming the field, the value, the bound and the limit that set it.
 */
import type { BoardCaps } from './messages.ts';
import {
  DEFAULT_MAX_CURRENT_DENSITY_UA_PER_CM2,
  MAX_CHANNEL_INDEX,
  MAX_CURRENT_DENSITY_OVERRIDE_UA_PER_CM2,
  MAX_RAMP_MS,
  MAX_RMS_CURRENT_UA,
  MAX_SLEW_UA_PER_S,
  MIN_DURATION_MS,
  MODE_LIMITS,
} from './limits.ts';
import { ASYMMETRIC_PHASE_RATIO, MODES, WAVEFORMS, type Mode, type Program } from './program.ts';

/** Which rule set a bound. */
export type LimitSource =
  | 'mode-table'
  | 'board-caps'
  | 'lab-cap'
  | 'rms-current'
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

const table = (value: number, reason: string): Bound => ({ value, source: 'mode-table', reason });

/** Keep the tighter of two upper bounds (ties keep the first, so the mode table is named first). */
function tighterMax(current: Bound, value: number | undefined, source: LimitSource, reason: string): Bound {
  if (value === undefined || !Number.isFinite(value) || value >= current.value) return current;
  return { value, source, reason };
}
function tighterMin(current: Bound, value: number | undefined, source: LimitSource, reason: string): Bound {
  if (value === undefined || !Number.isFinite(value) || value <= current.value) return current;
  return { value, source, reason };
}

/** The tightest of the mode table, the board's caps and the lab cap, with the source of each bound. */
export function effectiveLimits(mode: Mode, context: ValidationContext = {}): EffectiveLimits {
  const m = MODE_LIMITS[mode];
  const caps = context.caps ?? {};
  const lab = context.labCap ?? {};
  const freqMax = tighterMax(
    tighterMax(table(m.frequencyDeciHz.max, `${mode} mode`), caps.maxFrequencyDeciHz, 'board-caps', 'board maximum'),
    lab.maxFrequencyDeciHz,
    'lab-cap',
    'lab cap',
  );
  const freqMin = tighterMin(table(m.frequencyDeciHz.min, `${mode} mode`), caps.minFrequencyDeciHz, 'board-caps', 'board minimum');
  const pwMax = tighterMax(
    tighterMax(table(m.pulseWidthUs.max, `${mode} mode`), caps.maxPulseWidthUs, 'board-caps', 'board maximum'),
    lab.maxPulseWidthUs,
    'lab-cap',
    'lab cap',
  );
  const ampMax = tighterMax(
    tighterMax(table(m.maxAmplitudeUa, `${mode} mode`), caps.maxAmplitudeUa, 'board-caps', 'board maximum'),
    lab.maxAmplitudeUa,
    'lab-cap',
    'lab cap',
  );
  const durMax = tighterMax(table(m.maxDurationMs, `longest ${mode} session`), lab.maxDurationMs, 'lab-cap', 'lab cap');
  const slew = tighterMax(
    { value: MAX_SLEW_UA_PER_S, source: 'slew-rate', reason: 'StimBench slew limit' },
    caps.maxSlewUaPerS,
    'board-caps',
    'board slew limit',
  );
  const limits: EffectiveLimits = {
    mode,
    frequencyDeciHz: { min: freqMin, max: freqMax },
    pulseWidthUs: { min: table(m.pulseWidthUs.min, `${mode} mode`), max: pwMax },
    amplitudeUa: { min: { value: 0, source: 'protocol', reason: 'amplitude cannot be negative' }, max: ampMax },
    durationMs: { min: { value: MIN_DURATION_MS, source: 'protocol', reason: 'shortest program' }, max: durMax },
    rampDownMs: { min: { value: 0, source: 'protocol', reason: 'no negative ramp' }, max: { value: MAX_RAMP_MS, source: 'protocol', reason: 'longest ramp' } },
    slewUaPerS: slew,
    channelMax: caps.channelCount !== undefined
      ? { value: caps.channelCount - 1, source: 'board-caps', reason: `board has ${caps.channelCount} channel(s)` }
      : { value: MAX_CHANNEL_INDEX, source: 'protocol', reason: 'highest channel index' },
  };
  if (m.burst) {
    limits.burstPulses = { min: table(m.burst.pulses.min, 'burst mode'), max: table(m.burst.pulses.max, 'burst mode') };
    limits.burstFrequencyDeciHz = {
      min: table(m.burst.frequencyDeciHz.min, 'burst mode'),
      max: tighterMax(tighterMax(table(m.burst.frequencyDeciHz.max, 'burst mode'), caps.maxFrequencyDeciHz, 'board-caps', 'board maximum'), lab.maxFrequencyDeciHz, 'lab-cap', 'lab cap'),
    };
    limits.burstMaxTrainMs = table(m.burst.maxTrainMs, 'burst train length');
  }
  if (m.sweep) {
    limits.sweepPeriodMs = { min: table(m.sweep.periodMs.min, 'sweep period'), max: table(m.sweep.periodMs.max, 'sweep period') };
  }
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
    return { value, source: 'lab-cap', reason: 'lab current-density setting' };
  }
  return { value: DEFAULT_MAX_CURRENT_DENSITY_UA_PER_CM2, source: 'current-density', reason: 'IEC 60601-2-10 warning level' };
}

/**
 * Highest amplitude this program may use, µA, and what binds it: the effective amplitude limit, the
 * r.m.s. current limit at this rate and width, or the current-density limit with the configured area.
 */
export function amplitudeCeiling(program: Program, context: ValidationContext = {}): Bound {
  let bound = effectiveLimits(program.mode, context).amplitudeUa.max;
  const unitRms = rmsCurrentUa(program, 1);
  if (unitRms > 0) {
    const rmsMax = Math.floor(MAX_RMS_CURRENT_UA / unitRms);
    if (rmsMax < bound.value) bound = { value: rmsMax, source: 'rms-current', reason: 'r.m.s. current ≤ 50 mA (IEC 60601-2-10)' };
    const area = context.electrodeAreaCm2;
    if (area !== undefined && Number.isFinite(area) && area > 0) {
      const density = densityLimitUaPerCm2(context);
      const densityMax = Math.floor((density.value * area) / unitRms);
      if (densityMax < bound.value) bound = { value: densityMax, source: density.source === 'lab-cap' ? 'lab-cap' : 'current-density', reason: `${density.reason} at ${area} cm²` };
    }
  }
  return bound;
}

/** Shortest ramp-up that respects the slew limit for `amplitudeUa`, ms. */
export function minRampUpMs(amplitudeUa: number, slewUaPerS: number): number {
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

/** Check a program against every limit in DESIGN.md's limit section. Pure; never throws. */
export function validateProgram(program: Program, context: ValidationContext = {}): ValidationResult {
  const v: Violation[] = [];
  const push = (field: ProgramField, value: number | string, bound: number | string, kind: Violation['kind'], source: LimitSource, message: string) =>
    v.push({ field, value, bound, kind, source, message });

  if (typeof program !== 'object' || program === null) {
    return { ok: false, violations: [{ field: 'mode', value: String(program), bound: 'object', kind: 'enum', source: 'protocol', message: 'program is not an object' }] };
  }

  // 1. Shape: every numeric field a non-negative integer that fits its wire width.
  let shapeOk = true;
  for (const [field, max] of Object.entries(WIRE_MAX) as [keyof typeof WIRE_MAX, number][]) {
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

  // 5. r.m.s. current and current density (amplitude-dependent).
  const rms = rmsCurrentUa(program);
  if (rms > MAX_RMS_CURRENT_UA) {
    const bound = Math.floor(MAX_RMS_CURRENT_UA / rmsCurrentUa(program, 1));
    push('amplitudeUa', program.amplitudeUa, bound, 'max', 'rms-current', `r.m.s. current ${(rms / 1000).toFixed(1)} mA exceeds 50 mA (IEC 60601-2-10); at this rate and width the most is ${bound} µA`);
  }
  const area = context.electrodeAreaCm2;
  if (area !== undefined) {
    if (!Number.isFinite(area) || area <= 0) {
      push('amplitudeUa', program.amplitudeUa, 'electrode area > 0', 'min', 'current-density', 'electrode area must be a positive number of cm²');
    } else {
      const density = currentDensityUaPerCm2(program, area);
      const limit = densityLimitUaPerCm2(context);
      if (density > limit.value) {
        const bound = Math.floor((limit.value * area) / rmsCurrentUa(program, 1));
        push('amplitudeUa', program.amplitudeUa, bound, 'max', limit.source === 'lab-cap' ? 'lab-cap' : 'current-density', `current density ${(density / 1000).toFixed(2)} mA/cm² exceeds ${(limit.value / 1000).toFixed(2)} mA/cm² (${limit.reason}) at ${area} cm²`);
      }
    }
  }
  return v.length === 0 ? { ok: true } : { ok: false, violations: v };
}
