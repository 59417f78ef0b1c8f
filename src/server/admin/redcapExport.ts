/**
 * A REDCap-ready pair: a data dictionary (the CSV REDCap's "Data Dictionary" upload takes) and a
 * records CSV matching it (for "Data Import Tool", CSV, records in rows, dates Y-M-D). One REDCap record
 * per StimBench session, keyed by the session's record id, so importing again (or importing an
 * overlapping filtered view) updates the same REDCap records instead of adding copies; the participant
 * code is a field, for REDCap's own filters and reports. Times are UTC; amplitudes in mA, time in min.
 */
import { toCsv, type CsvValue } from '../../lib/storage/csv.ts';
import type { SessionRow } from './sessionQueries.ts';

export const REDCAP_FORM = 'stimbench_session';

const OUTCOMES = ['completed', 'stopped', 'estopped', 'fault', 'connection-lost', 'interrupted'] as const;
const STOP_REASONS = ['user', 'daily-cap', 'max-duration', 'device-refused'] as const;
const choices = (values: readonly string[]) => values.map((value, i) => `${i + 1}, ${value}`).join(' | ');
const code = (values: readonly string[], value: string | null) => (value === null ? null : values.indexOf(value) + 1 || null);

/** REDCap's data dictionary columns, in its order. */
const DICTIONARY_HEADER = [
  'Variable / Field Name', 'Form Name', 'Section Header', 'Field Type', 'Field Label', 'Choices, Calculations, OR Slider Labels',
  'Field Note', 'Text Validation Type OR Show Slider Number', 'Text Validation Min', 'Text Validation Max', 'Identifier?',
  'Branching Logic (Show field only if...)', 'Required Field?', 'Custom Alignment', 'Question Number (surveys only)',
  'Matrix Group Name', 'Matrix Ranking?', 'Field Annotation',
];

interface Field {
  name: string;
  type: 'text' | 'dropdown';
  label: string;
  choices?: string;
  note?: string;
  validation?: 'integer' | 'number' | 'datetime_seconds_ymd';
  min?: number;
  max?: number;
  value: (row: SessionRow) => CsvValue;
}

/** YYYY-MM-DD HH:MM:SS in UTC, REDCap's datetime_seconds_ymd import format. */
const redcapDateTime = (wallMs: number | null) => (wallMs === null ? null : new Date(wallMs).toISOString().slice(0, 19).replace('T', ' '));
const round = (value: number | null, places: number) => (value === null ? null : Number(value.toFixed(places)));

const FIELDS: readonly Field[] = [
  { name: 'record_id', type: 'text', label: 'StimBench record id', note: 'one REDCap record per session', value: (r) => r.id },
  { name: 'participant_code', type: 'text', label: 'Participant code (pseudonym)', value: (r) => r.participant },
  { name: 'bench_name', type: 'text', label: 'Bench', value: (r) => r.benchName },
  { name: 'preset_id', type: 'text', label: 'Preset', value: (r) => r.presetId },
  { name: 'session_label', type: 'text', label: 'Session label', value: (r) => r.label },
  { name: 'outcome', type: 'dropdown', label: 'Outcome', choices: choices(OUTCOMES), value: (r) => code(OUTCOMES, r.outcome) },
  { name: 'stop_reason', type: 'dropdown', label: 'Why it was stopped early', choices: choices(STOP_REASONS), value: (r) => code(STOP_REASONS, r.stopReason) },
  { name: 'started_utc', type: 'text', label: 'Started (UTC)', validation: 'datetime_seconds_ymd', value: (r) => redcapDateTime(r.createdWallMs) },
  { name: 'ended_utc', type: 'text', label: 'Ended (UTC)', validation: 'datetime_seconds_ymd', value: (r) => redcapDateTime(r.endedWallMs) },
  { name: 'firmware_version', type: 'text', label: 'Board firmware version', value: (r) => r.firmwareVersion },
  { name: 'board_serial', type: 'text', label: 'Board serial number', value: (r) => r.serialNumber },
  { name: 'target_ma', type: 'text', label: 'Target amplitude', note: 'mA', validation: 'number', min: 0, value: (r) => round(r.targetUa === null ? null : r.targetUa / 1000, 3) },
  { name: 'active_min', type: 'text', label: 'Time with current delivered', note: 'min', validation: 'number', min: 0, value: (r) => round(r.activeMs / 60_000, 4) },
  { name: 'charge_uc', type: 'text', label: 'Charge delivered (primary phase)', note: 'µC', validation: 'number', min: 0, value: (r) => round(r.chargeUc, 3) },
  { name: 'peak_ma', type: 'text', label: 'Highest delivered amplitude', note: 'mA', validation: 'number', min: 0, value: (r) => round(r.peakUa / 1000, 3) },
  { name: 'pain_pre', type: 'text', label: 'Pain before (NRS 0–10)', validation: 'integer', min: 0, max: 10, value: (r) => r.painPre },
  { name: 'pain_post', type: 'text', label: 'Pain after (NRS 0–10)', validation: 'integer', min: 0, max: 10, value: (r) => r.painPost },
  { name: 'fault_count', type: 'text', label: 'Faults', validation: 'integer', min: 0, value: (r) => r.faultCount },
  { name: 'estop_count', type: 'text', label: 'Emergency stops', validation: 'integer', min: 0, value: (r) => r.estopCount },
];

export function redcapDictionaryCsv(): string {
  return toCsv(
    DICTIONARY_HEADER,
    FIELDS.map((f) => [f.name, REDCAP_FORM, '', f.type, f.label, f.choices ?? '', f.note ?? '', f.validation ?? '', f.min ?? '', f.max ?? '', '', '', f.name === 'record_id' ? 'y' : '', '', '', '', '', '']),
  );
}

export function redcapRecordsCsv(rows: readonly SessionRow[]): string {
  return toCsv(
    FIELDS.map((f) => f.name),
    rows.map((row) => FIELDS.map((f) => f.value(row))),
  );
}
