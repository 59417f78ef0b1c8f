/**
 * Compliance check: a current-controlled output can only drive I_peak through the load if the voltage
 * it needs, I_peak · Z, is within the board's advertised compliance (INFO caps.complianceMv). Above it
 * the current clips, so the program the user set is not what the skin gets. The host refuses such a
 * program or amplitude against the last impedance the board measured on that channel.
 */
import { ComplianceExceededError } from './errors.ts';

/** Peak voltage across `impedanceOhm` at `amplitudeUa`, mV (µA · Ω = µV, / 1000). */
export function peakVoltageMv(amplitudeUa: number, impedanceOhm: number): number {
  return (amplitudeUa * impedanceOhm) / 1000;
}

/** Throws ComplianceExceededError when the measured load cannot take `amplitudeUa`; no load known: passes. */
export function assertWithinCompliance(channel: number, amplitudeUa: number, impedanceOhm: number | null, complianceMv: number | undefined): void {
  if (impedanceOhm === null || complianceMv === undefined) return;
  const needMv = peakVoltageMv(amplitudeUa, impedanceOhm);
  if (needMv > complianceMv) throw new ComplianceExceededError(channel, amplitudeUa, impedanceOhm, needMv, complianceMv);
}
