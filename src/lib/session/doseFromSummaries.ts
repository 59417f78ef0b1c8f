/**
 * Recompute a channel's delivered dose from its stored per-second summaries. Used when a session was
 * interrupted (the in-memory dose died with the page): exact for active time, within rounding of the
 * per-second means for the integral and charge, and missing at most the summaries not yet flushed.
 */
import type { Program } from '../../../firmware-protocol/src/index.ts';
import { meanPulseRateHz } from './pulseRateHz.ts';
import type { ChannelDose, SummaryChunk } from './recordTypes.ts';

export function doseFromSummaries(chunks: readonly SummaryChunk[], channel: number, program: Program): ChannelDose {
  let samples = 0;
  let activeSamples = 0;
  let integralUaUs = 0;
  let peakUa = 0;
  let intervalUs = 0;
  for (const chunk of chunks) {
    if (chunk.channel !== channel) continue;
    intervalUs = chunk.sampleIntervalUs;
    for (let s = 0; s < chunk.seconds; s++) {
      const n = chunk.samples[s] ?? 0;
      samples += n;
      activeSamples += chunk.activeSamples[s] ?? 0;
      integralUaUs += (chunk.meanUa[s] ?? 0) * n * chunk.sampleIntervalUs;
      peakUa = Math.max(peakUa, chunk.maxUa[s] ?? 0);
    }
  }
  const chargePc = (integralUaUs * program.pulseWidthUs * meanPulseRateHz(program)) / 1e6;
  return {
    channel,
    activeMs: (activeSamples * intervalUs) / 1000,
    amplitudeIntegralUaMs: integralUaUs / 1000,
    chargeUc: chargePc / 1e6,
    peakUa,
    samples,
    sampleIntervalUs: intervalUs,
  };
}
