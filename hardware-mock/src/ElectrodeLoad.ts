/**
 * The electrode–skin load: a series resistance (electrode, gel, deep tissue) plus a parallel R‖C (the
 * stratum corneum), the usual lumped model of the skin under a surface electrode (e.g. Dorgan & Reilly
 * 1999, IEEE Trans Biomed Eng 46:1051; Keller & Kuhn 2008, "Electrodes for transcutaneous (surface)
 * electrical stimulation", J Autom Control 18:35). Default 200 Ω + (1 kΩ ‖ 100 nF).
 *
 * Under a constant-current phase of width pw from a discharged load, the capacitor charges with time
 * constant Rp·C, so the voltage at the end of the phase is V = I·(Rs + Rp·(1 − e^(−pw/(Rp·C)))).
 * Charge-balanced biphasic pulses discharge C again, so each pulse starts from 0 V (pulse periods here
 * are ≥ 6.6 ms against Rp·C ≈ 0.1 ms by default).
 */
export interface LoadModel {
  seriesOhm: number;
  parallelOhm: number;
  parallelNf: number;
}

export const DEFAULT_LOAD: Readonly<LoadModel> = { seriesOhm: 200, parallelOhm: 1_000, parallelNf: 100 };

/** Impedance of a lifted electrode: "≥ 1 MΩ" in the contract; an open circuit for every practical purpose. */
export const ELECTRODE_OFF_LOAD: Readonly<LoadModel> = { seriesOhm: 2_000_000, parallelOhm: 1_000, parallelNf: 100 };

/**
 * Width of the small test pulse the board uses to measure impedance, µs. StimBench choice: in the middle
 * of the TENS pulse-width range, so the reading is what a typical program will see.
 */
export const IMPEDANCE_TEST_PULSE_US = 100;

/**
 * Electrode contact is good enough to START when the measured impedance is below this, Ω. StimBench
 * choice: hydrogel electrodes on intact skin read roughly 0.3–3 kΩ at TENS pulse widths (Keller & Kuhn
 * 2008), a lifted electrode reads ≥ 1 MΩ; 5 kΩ separates the two with margin. Not in INFO (no field);
 * a START refused for impedance carries it as the NACK's `bound` (exclusive: ok iff impedance < bound).
 */
export const IMPEDANCE_LIMIT_OHM = 5_000;

/** Effective impedance at the end of a primary phase of `pulseWidthUs`: Rs + Rp·(1 − e^(−pw/(Rp·C))), Ω. */
export function effectiveImpedanceOhm(load: LoadModel, pulseWidthUs: number): number {
  const tauUs = load.parallelOhm * load.parallelNf * 1e-3; // Ω · nF = 1e-9 s·Ω/Ω → ×1e-3 gives µs
  const charged = tauUs > 0 ? 1 - Math.exp(-pulseWidthUs / tauUs) : 1;
  return load.seriesOhm + load.parallelOhm * charged;
}

/** Highest current the output stage can push through `impedanceOhm` before hitting compliance, µA. */
export function complianceLimitUa(complianceMv: number, impedanceOhm: number): number {
  return impedanceOhm > 0 ? (complianceMv * 1000) / impedanceOhm : Number.POSITIVE_INFINITY;
}

/** Voltage for `currentUa` through `impedanceOhm`, mV (µA · Ω = µV). */
export function voltageMv(currentUa: number, impedanceOhm: number): number {
  return (currentUa * impedanceOhm) / 1000;
}
