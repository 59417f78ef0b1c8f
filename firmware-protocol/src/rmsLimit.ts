/**
 * The r.m.s. current and current-density limits in exact integer form, so that the host, the simulated
 * board and C firmware (uint64_t arithmetic, no floats, no sqrt) all draw the line at the same µA.
 *
 * IEC 60601-2-10 r.m.s. current: I_rms = I_peak · sqrt(t_phase · f), with t_phase the equivalent phase
 * time per pulse (s) and f the pulse rate (Hz). In wire units, with
 *   q = equivalent phase time in quarter-µs   (symmetric: 2·pw·4 = 8·pw; asymmetric: pw·(1 + 1/4)·4 = 5·pw)
 *   r = pulse rate in 0.1 Hz                  (burst: burst rate · pulses per burst; modulated: the higher end)
 * I_rms² [µA²] = I_peak² · (q / 4·10⁶) · (r / 10) = I_peak² · q · r / (4·10⁷), hence
 *   I_rms ≤ 50 000 µA  ⟺  I_peak² · q · r ≤ 4·10⁷ · 50 000² = 10¹⁷.
 */
import { MAX_RMS_CURRENT_UA } from './limits.ts';
import { ASYMMETRIC_PHASE_RATIO, type Program } from './program.ts';

/** 4·10⁷: quarter-µs → s (4·10⁶) times 0.1 Hz → Hz (10). */
export const RMS_SCALE = 40_000_000;
/** I_peak² · q · r must not exceed this: 4·10⁷ · (50 000 µA)² = 10¹⁷. */
export const RMS_LIMIT_TERM = BigInt(RMS_SCALE) * BigInt(MAX_RMS_CURRENT_UA) ** 2n;

// The quarter-µs unit is exact only while the ratio divides 4 (it is 4: 1 + 1/4 = 5/4).
if (4 % ASYMMETRIC_PHASE_RATIO !== 0) throw new Error('ASYMMETRIC_PHASE_RATIO must divide 4');

/** Equivalent phase time per pulse in quarter-µs (integer): 8·pw symmetric, 5·pw asymmetric. */
export function equivalentPhaseQuarterUs(program: Program): number {
  return program.waveform === 'asymmetric-biphasic'
    ? program.pulseWidthUs * (4 + 4 / ASYMMETRIC_PHASE_RATIO)
    : 8 * program.pulseWidthUs;
}

/** Mean pulse rate in 0.1 Hz (integer); the higher sweep end for modulated mode (worst case). */
export function pulseRateDeciHz(program: Program): number {
  switch (program.mode) {
    case 'burst':
      return program.frequencyDeciHz * program.burstPulses;
    case 'modulated':
      return Math.max(program.frequencyDeciHz, program.sweepHighDeciHz);
    default:
      return program.frequencyDeciHz;
  }
}

/** q · r for this program. Exact as a double: at most 8·65535 · 65535·255 < 2⁵³. */
function phaseRateTerm(program: Program): number {
  return equivalentPhaseQuarterUs(program) * pulseRateDeciHz(program);
}

/**
 * Whether `amplitudeUa` (an integer) keeps the r.m.s. current ≤ 50 mA: I² · q · r ≤ 10¹⁷, exactly.
 * Far from the line a double decides (its error is ~10⁻¹⁶ relative); within 10⁻⁹ of it, BigInt does.
 */
export function rmsWithinLimit(program: Program, amplitudeUa = program.amplitudeUa): boolean {
  const qr = phaseRateTerm(program);
  const approx = amplitudeUa * amplitudeUa * qr;
  if (approx < RMS_LIMIT_APPROX * (1 - 1e-9)) return true;
  if (approx > RMS_LIMIT_APPROX * (1 + 1e-9)) return false;
  return BigInt(amplitudeUa) ** 2n * BigInt(qr) <= RMS_LIMIT_TERM;
}
const RMS_LIMIT_APPROX = Number(RMS_LIMIT_TERM);

/**
 * Highest integer peak amplitude (µA) whose r.m.s. current is ≤ 50 mA at this program's width, waveform
 * and rate, computed exactly. Infinity when the program delivers no pulses (q·r = 0).
 */
export function maxAmplitudeForRmsUa(program: Program): number {
  const qr = phaseRateTerm(program);
  if (!(qr > 0)) return Number.POSITIVE_INFINITY;
  const term = BigInt(qr);
  let a = Math.floor(Math.sqrt(Number(RMS_LIMIT_TERM) / qr));
  // The float estimate is within a unit or two; settle it exactly.
  while (BigInt(a + 1) ** 2n * term <= RMS_LIMIT_TERM) a++;
  while (a > 0 && BigInt(a) ** 2n * term > RMS_LIMIT_TERM) a--;
  return a;
}

/**
 * Highest integer peak amplitude (µA) whose r.m.s. current density over `electrodeAreaCm2` stays within
 * `limitUaPerCm2`: I_peak² · q · r ≤ 4·10⁷ · (limit · area)². The area is a real number, so this one is
 * computed in doubles; validateProgram and amplitudeCeiling both use it, so they always agree.
 */
export function maxAmplitudeForDensityUa(program: Program, electrodeAreaCm2: number, limitUaPerCm2: number): number {
  const qr = phaseRateTerm(program);
  if (!(qr > 0)) return Number.POSITIVE_INFINITY;
  const allowedRms = limitUaPerCm2 * electrodeAreaCm2;
  const rhs = RMS_SCALE * allowedRms * allowedRms;
  const fits = (a: number) => a * a * qr <= rhs;
  let a = Math.floor(Math.sqrt(rhs / qr));
  while (fits(a + 1)) a++;
  while (a > 0 && !fits(a)) a--;
  return a;
}
