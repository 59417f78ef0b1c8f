/** One row per event of a record. The columns common to every event first; the rest of the event as JSON in `detail`. */
import { toCsv, type CsvValue } from './csv.ts';
import type { RecordEvent } from './recordTypes.ts';

export const EVENT_CSV_COLUMNS = ['record_id', 'index', 'mono_ms', 'wall_ms', 'wall_iso', 'kind', 'what', 'channel', 'value', 'detail'] as const;

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

function channelOf(event: RecordEvent): number | null {
  if (event.kind === 'command' || event.kind === 'board-status') return event.channel;
  if (event.kind === 'fault') return event.channel;
  return null;
}

function valueOf(event: RecordEvent): CsvValue {
  switch (event.kind) {
    case 'user':
      return event.valueUa ?? null;
    case 'command':
      return event.amplitudeUa ?? event.program?.amplitudeUa ?? null;
    case 'ack':
      return event.echo.kind === 'amplitude' ? event.echo.amplitudeUa : event.echo.kind === 'program' ? event.echo.program.amplitudeUa : null;
    case 'nack':
      return event.value;
    case 'board-status':
      return event.amplitudeUa;
    case 'pain':
      return event.nrs;
    case 'limit':
      return event.valueMs;
    case 'reminder':
      return event.siteMs;
    case 'override':
      return event.limitUaPerCm2;
    default:
      return null;
  }
}

export function exportEventsCsv(events: readonly RecordEvent[]): string {
  const rows = events.map((event) => {
    const { recordId, index, monoMs, wallMs, kind, ...rest } = event;
    return [recordId, index, monoMs, wallMs, new Date(wallMs).toISOString(), kind, what(event), channelOf(event), valueOf(event), JSON.stringify(rest)];
  });
  return toCsv(EVENT_CSV_COLUMNS, rows);
}
