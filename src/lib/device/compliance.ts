/**
 * Compliance check: a current-controlled output can only drive I_peak through the load if the voltage
 * it needs, I_peak · Z, is within the board's advertised compliance (INFO caps.complianceMv). Above it
 * the current clips, so the program the user set is not what the skin gets. The host refuses such a
 * program or amplitude against the last load measured on that channel: a MEASURE_IMPEDANCE reply, or
 * the electrode voltage over the current at the pulse peak in TELEMETRY while the channel runs (so a
 * titration raise is checked against the load the pulses actually meet).
 */
import type { TelemetryMessage } from '../../../firmware-protocol/src/index.ts';
import { ComplianceExceededError } from './errors.ts';

/** Below this peak current a V/I reading is mostly noise, µA. */
const MIN_LOAD_SAMPLE_UA = 1_000;

/** The load seen by the batch's latest sample with at least 1 mA, Ω (|V| / I), or null. */
export function loadFromTelemetryOhm(message: TelemetryMessage): number | null {
  for (let i = message.samples.length - 1; i >= 0; i--) {
    const { currentUa, voltageMv } = message.samples[i]!;
    if (Math.abs(currentUa) >= MIN_LOAD_SAMPLE_UA) return Math.round((Math.abs(voltageMv) * 1000) / Math.abs(currentUa));
  }
  return null;
}

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
