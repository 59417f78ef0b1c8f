/**
 * A record's dose must agree with its own per-second summaries, or the record is refused: a dose the
 * samples do not support would put a wrong number in every analysis. Per channel with a dose entry:
 * - samples and active time are counted exactly the same way on both sides: they must match;
 * - the peak is the largest per-second maximum: it must match;
 * - the current integral is compared within the rounding of the per-second means (each mean is rounded
 *   to a whole µA, so it may differ by up to 0.5 µA × that second's samples × the sample interval);
 * - summaries of a channel with no dose entry, or a dose entry with samples but no summaries, mismatch.
 * Charge is not recomputed here: the recorder counts pulses fired per sample, which per-second means
 * cannot reproduce exactly; it must be finite, non-negative, and zero when no current flowed.
 */
import type { RecordFile } from '../../lib/session/recordFileSchema.ts';

export interface DoseMismatch {
  channel: number;
  field: string;
  expected: number;
  got: number;
}

const close = (a: number, b: number, slack: number) => Math.abs(a - b) <= slack + 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

export function checkDose(file: RecordFile): DoseMismatch | null {
  const channels = new Set(file.summaries.map((c) => c.channel));
  for (const channel of channels) {
    const hasSamples = file.summaries.some((c) => c.channel === channel && c.samples.slice(0, c.seconds).some((n) => n > 0));
    if (hasSamples && !file.record.dose.some((d) => d.channel === channel)) return { channel, field: 'dose entry', expected: 1, got: 0 };
  }
  for (const dose of file.record.dose) {
    let samples = 0;
    let activeSamples = 0;
    let activeUs = 0;
    let integralUaUs = 0;
    let roundingUaUs = 0;
    let peakUa = 0;
    for (const chunk of file.summaries) {
      if (chunk.channel !== dose.channel) continue;
      for (let s = 0; s < chunk.seconds; s++) {
        const n = chunk.samples[s] ?? 0;
        const active = chunk.activeSamples[s] ?? 0;
        samples += n;
        activeSamples += active;
        activeUs += active * chunk.sampleIntervalUs;
        integralUaUs += (chunk.meanUa[s] ?? 0) * n * chunk.sampleIntervalUs;
        roundingUaUs += 0.5 * n * chunk.sampleIntervalUs;
        peakUa = Math.max(peakUa, chunk.maxUa[s] ?? 0);
      }
    }
    if (dose.samples !== samples) return { channel: dose.channel, field: 'samples', expected: samples, got: dose.samples };
    if (!close(dose.activeMs, activeUs / 1000, 0)) return { channel: dose.channel, field: 'activeMs', expected: activeUs / 1000, got: dose.activeMs };
    if (dose.peakUa !== peakUa) return { channel: dose.channel, field: 'peakUa', expected: peakUa, got: dose.peakUa };
    if (!close(dose.amplitudeIntegralUaMs, integralUaUs / 1000, roundingUaUs / 1000)) {
      return { channel: dose.channel, field: 'amplitudeIntegralUaMs', expected: integralUaUs / 1000, got: dose.amplitudeIntegralUaMs };
    }
    if (dose.chargeUc < 0 || (activeSamples === 0 && dose.chargeUc !== 0)) return { channel: dose.channel, field: 'chargeUc', expected: 0, got: dose.chargeUc };
  }
  return null;
}
