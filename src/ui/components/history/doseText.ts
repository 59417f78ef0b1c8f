/** The dose of a record's own channel, in words with units, for list rows and the detail view. */
import type { ChannelDose, SessionRecord, SummaryChunk } from '../../../lib/session/recordTypes.ts';
import { formatCharge, formatSpan } from './formatRecord.ts';

export function channelDose(record: SessionRecord): ChannelDose | null {
  return record.dose.find((d) => d.channel === record.plan.program.channel) ?? null;
}

/** [time with output on, charge] of the record's own channel, or why there is none. */
export function doseParts(record: SessionRecord): [string, string] | string {
  const dose = channelDose(record);
  if (!dose) return record.status === 'open' ? 'not yet known' : 'none recorded';
  return [`${formatSpan(dose.activeMs)} with output on,`, formatCharge(dose.chargeUc)];
}

/** How close to the target a second's delivered current must stay to count as "at target": ±2 %, at least ±0.1 mA. */
export function atTargetToleranceUa(targetUa: number): number {
  return Math.max(100, Math.round(targetUa * 0.02));
}

/**
 * Time the delivered current was at the target (within atTargetToleranceUa for every sample of a second),
 * ms, counted in whole seconds from the per-second summaries; null when there is no target or no telemetry.
 * Ramps, titration steps and level changes away from the target do not count, unlike time with output on.
 */
export function timeAtTargetMs(summaries: readonly SummaryChunk[], channel: number, targetUa: number | null): number | null {
  if (targetUa === null || targetUa <= 0) return null;
  const tol = atTargetToleranceUa(targetUa);
  let seconds = 0;
  let any = false;
  for (const chunk of summaries) {
    if (chunk.channel !== channel) continue;
    for (let i = 0; i < chunk.seconds; i++) {
      if (chunk.samples[i]! === 0) continue;
      any = true;
      if (chunk.minUa[i]! >= targetUa - tol && chunk.maxUa[i]! <= targetUa + tol) seconds++;
    }
  }
  return any ? seconds * 1000 : null;
}


/** Session length: monotonic when both ends are known (immune to wall-clock changes), else unknown. */
export function sessionLengthMs(record: SessionRecord): number | null {
  if (record.endedMonoMs !== null) return record.endedMonoMs - record.createdMonoMs;
  return null;
}

/** Mean delivered peak current while output was on, µA (∫I dt / active time). */
export function meanActiveUa(dose: ChannelDose): number | null {
  return dose.activeMs > 0 ? dose.amplitudeIntegralUaMs / dose.activeMs : null;
}
