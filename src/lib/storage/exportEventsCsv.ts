/**
 * One row per event of a record. The columns common to every event first, in spreadsheet units (times in
 * whole ms, channel numbered from 1, `value` in the unit named by `unit`); the rest of the event as JSON
 * in `detail`, with the record's exact wire integers.
 */
import { ALL_CHANNELS, type FieldName } from '../../../firmware-protocol/src/index.ts';
import { toCsv, type CsvValue } from './csv.ts';
import type { RecordEvent } from '../session/recordTypes.ts';
import { channelNumber, hertzOf, milliamps, secondsOf, wholeMs } from './spreadsheetUnits.ts';

export const EVENT_CSV_COLUMNS = ['record_id', 'index', 'mono_ms', 'wall_ms', 'wall_iso', 'kind', 'what', 'channel', 'value', 'unit', 'detail'] as const;

function what(event: RecordEvent): string {
  switch (event.kind) {
    case 'user':
      return event.action;
    case 'phase':
      return `${event.from}->${event.to}`;
    case 'command':
    case 'command-error':
      return event.command;
    case 'ack':
    case 'nack':
    case 'timeout':
      return event.command;
    case 'fault':
      return String(event.code);
    case 'connection':
      return event.state;
    case 'board-status':
      return event.state;
    case 'override':
      return event.what;
    case 'limit':
      return event.limit;
    case 'reminder':
      return event.reminder;
    case 'pain':
      return event.when;
    case 'outcome':
      return event.outcome;
    case 'warning':
    case 'interrupted':
      return event.kind;
  }
}

function channelOf(event: RecordEvent): CsvValue {
  if (event.kind !== 'command' && event.kind !== 'board-status' && event.kind !== 'fault') return null;
  if (event.channel === null) return null;
  return event.channel === ALL_CHANNELS ? 'all' : channelNumber(event.channel);
}

type Value = [value: CsvValue, unit: string | null];
const NONE: Value = [null, null];
const mA = (ua: number | undefined | null): Value => (ua === undefined || ua === null ? NONE : [milliamps(ua), 'mA']);

/** A refused field's value in its spreadsheet unit. */
function nackValue(field: FieldName, value: number): Value {
  switch (field) {
    case 'amplitudeUa':
      return mA(value);
    case 'frequencyDeciHz':
    case 'burstFrequencyDeciHz':
    case 'sweepHighDeciHz':
      return [hertzOf(value), 'Hz'];
    case 'pulseWidthUs':
      return [value, 'µs'];
    case 'durationMs':
    case 'rampUpMs':
    case 'rampDownMs':
    case 'sweepPeriodMs':
      return [secondsOf(value), 's'];
    case 'channel':
      return [channelNumber(value), 'channel'];
    default:
      return [value, null];
  }
}

function valueOf(event: RecordEvent): Value {
  switch (event.kind) {
    case 'user':
      return mA(event.valueUa);
    case 'command':
      return mA(event.amplitudeUa ?? event.program?.amplitudeUa);
    case 'ack':
      return mA(event.echo.kind === 'amplitude' ? event.echo.amplitudeUa : event.echo.kind === 'program' ? event.echo.program.amplitudeUa : null);
    case 'nack':
      return nackValue(event.field, event.value);
    case 'board-status':
      return mA(event.amplitudeUa);
    case 'pain':
      return [event.nrs, 'NRS 0-10'];
    case 'limit':
      return [secondsOf(event.valueMs), 's'];
    case 'reminder':
      return [secondsOf(event.siteMs), 's'];
    case 'override':
      return [milliamps(event.limitUaPerCm2), 'mA/cm²'];
    default:
      return NONE;
  }
}

export function exportEventsCsv(events: readonly RecordEvent[]): string {
  const rows = events.map((event) => {
    const { recordId, index, monoMs, wallMs, kind, ...rest } = event;
    const [value, unit] = valueOf(event);
    return [recordId, index, wholeMs(monoMs), wholeMs(wallMs), new Date(wallMs).toISOString(), kind, what(event), channelOf(event), value, unit, JSON.stringify(rest)];
  });
  return toCsv(EVENT_CSV_COLUMNS, rows);
}
