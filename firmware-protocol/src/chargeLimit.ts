/**
 * Charge per phase and energy per pulse. The charge cap (MAX_CHARGE_PER_PHASE_NC, limits.ts) is an exact
 * integer rule that a board can check with one 64-bit multiply: amplitudeUa · pulseWidthUs (µA·µs = pC)
 * ≤ MAX_CHARGE_PER_PHASE_NC · 1000. Only the primary phase counts: the balancing phase of both waveforms
 * carries the same charge (symmetric: same amplitude and width; asymmetric: ¼ amplitude for 4× the width).
 */
import { MAX_CHARGE_PER_PHASE_NC, REFERENCE_LOAD_OHM } from './limits.ts';
import type { Program } from './program.ts';
import { equivalentPhaseQuarterUs } from './rmsLimit.ts';

/** The cap in µA·µs (pC): 25 000 nC · 1000. */
export const MAX_CHARGE_PER_PHASE_PC = MAX_CHARGE_PER_PHASE_NC * 1000;

/** Whether `amplitudeUa` keeps the primary phase at or below the charge cap. Exact: the product is < 2⁵³. */
export function chargeWithinLimit(program: Program, amplitudeUa = program.amplitudeUa): boolean {
  return amplitudeUa * program.pulseWidthUs <= MAX_CHARGE_PER_PHASE_PC;
}

/** Highest integer amplitude within the charge cap at this pulse width, µA (Infinity for a 0 µs width). */
export function maxAmplitudeForChargeUa(program: Program): number {
  if (program.pulseWidthUs <= 0) return Number.POSITIVE_INFINITY;
  return Math.floor(MAX_CHARGE_PER_PHASE_PC / program.pulseWidthUs);
}

/**
 * Energy delivered per pulse into a resistive load, mJ: I² · R · t, with t the energy-equivalent phase
 * time of the pulse (symmetric 2·pw; asymmetric pw·(1 + ¼)), so both phases are counted.
 */
export function energyPerPulseMj(program: Program, loadOhm = REFERENCE_LOAD_OHM, amplitudeUa = program.amplitudeUa): number {
  const amps = amplitudeUa / 1e6;
  const seconds = equivalentPhaseQuarterUs(program) / 4e6;
  return amps * amps * loadOhm * seconds * 1000;
}
