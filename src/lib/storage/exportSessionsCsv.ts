/** One row per session: what was planned, what was delivered, how it ended. */
import { toCsv } from './csv.ts';
import type { SessionRecord } from './recordTypes.ts';

export const SESSION_CSV_COLUMNS = [
  'record_id',
  'label',
  'preset_id',
  'programme_id',
  'programme_day',
  'programme_slot',
  'started_iso',
  'ended_iso',
  'channel',
  'mode',
  'waveform',
  'frequency_decihz',
  'pulse_width_us',
  'planned_amplitude_ua',
  'target_ua',
  'planned_duration_ms',
  'outcome',
  'stop_reason',
  'active_ms',
  'amplitude_integral_ua_ms',
  'charge_uc',
  'peak_ua',
  'pain_pre',
  'pain_post',
  'board_serial',
  'firmware',
  'event_count',
  'outcome_message',
  /** The pseudonymous participant code; empty for records made before codes existed. */
  'participant',
  /** true for a manual session started from the Control screen. */
  'manual',
] as const;

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function exportSessionsCsv(records: readonly SessionRecord[]): string {
  const rows = records.map((r) => {
    const p = r.plan.program;
    const dose = r.dose.find((d) => d.channel === p.channel);
    return [
      r.id,
      r.plan.label,
      r.plan.presetId,
      r.plan.programmeRef?.programmeId ?? null,
      r.plan.programmeRef?.dayIndex ?? null,
      r.plan.programmeRef?.slotId ?? null,
      iso(r.createdWallMs),
      iso(r.endedWallMs),
      p.channel,
      p.mode,
      p.waveform,
      p.frequencyDeciHz,
      p.pulseWidthUs,
      p.amplitudeUa,
      r.targetUa,
      p.durationMs,
      r.outcome ?? 'open',
      r.stopReason,
      dose?.activeMs ?? null,
      dose?.amplitudeIntegralUaMs ?? null,
      dose?.chargeUc ?? null,
      dose?.peakUa ?? null,
      r.pain.pre,
      r.pain.post,
      r.board.serialNumber,
      r.board.firmwareVersion,
      r.eventCount,
      r.outcomeMessage,
      r.participant ?? null,
      r.plan.manual === true,
    ];
  });
  return toCsv(SESSION_CSV_COLUMNS, rows);
}
