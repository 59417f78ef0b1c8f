/**
 * One row per session: what was planned, what was delivered, how it ended. Columns are in spreadsheet
 * units (Hz, µs, mA, min, s; channel numbered from 1); the JSON export keeps the exact wire integers.
 */
import { toCsv } from './csv.ts';
import { channelNumber, hertzOf, milliamps, minutesOf, roundTo, secondsOf } from './spreadsheetUnits.ts';
import type { SessionRecord } from '../session/recordTypes.ts';

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
  'frequency_hz',
  'pulse_width_us',
  'planned_amplitude_ma',
  'target_ma',
  'planned_duration_min',
  'outcome',
  'stop_reason',
  'active_s',
  'amplitude_integral_ma_s',
  'charge_uc',
  'peak_ma',
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
  /** The software that ran the session and its build (empty for records made before they were recorded). */
  'software_version',
  'software_build',
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
      channelNumber(p.channel),
      p.mode,
      p.waveform,
      hertzOf(p.frequencyDeciHz),
      p.pulseWidthUs,
      milliamps(p.amplitudeUa),
      r.targetUa === null ? null : milliamps(r.targetUa),
      minutesOf(p.durationMs),
      r.outcome ?? 'open',
      r.stopReason,
      dose ? secondsOf(dose.activeMs) : null,
      // µA·ms → mA·s is a factor of 10⁶; whole µA·ms keep the sum exact to the clock's resolution.
      dose ? Math.round(dose.amplitudeIntegralUaMs) / 1_000_000 : null,
      dose ? roundTo(dose.chargeUc, 3) : null,
      dose ? milliamps(dose.peakUa) : null,
      r.pain.pre,
      r.pain.post,
      r.board.serialNumber,
      r.board.firmwareVersion,
      r.eventCount,
      r.outcomeMessage,
      r.participant ?? null,
      r.plan.manual === true,
      r.software ? `${r.software.name} ${r.software.version}` : null,
      r.software?.build ?? null,
    ];
  });
  return toCsv(SESSION_CSV_COLUMNS, rows);
}
