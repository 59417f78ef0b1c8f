/** The dose of a record's own channel, in words with units, for list rows and the detail view. */
import type { ChannelDose, SessionRecord } from '../../../lib/storage/recordTypes.ts';
import { formatCharge, formatSpan } from './formatRecord.ts';

export function channelDose(record: SessionRecord): ChannelDose | null {
  return record.dose.find((d) => d.channel === record.plan.program.channel) ?? null;
}

/** [time at amplitude, charge] of the record's own channel, or why there is none. */
export function doseParts(record: SessionRecord): [string, string] | string {
  const dose = channelDose(record);
  if (!dose) return record.status === 'open' ? 'not yet known' : 'none recorded';
  return [`${formatSpan(dose.activeMs)} at amplitude,`, formatCharge(dose.chargeUc)];
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
