/** A filtered session list as CSV (RFC 4180, formula-guarded, via the app's CSV writer) or JSON. */
import { toCsv } from '../../lib/storage/csv.ts';
import type { SessionRow } from './sessionQueries.ts';

const COLUMNS: readonly (keyof SessionRow)[] = [
  'id', 'benchId', 'benchName', 'participant', 'presetId', 'label', 'outcome', 'stopReason', 'createdWallMs', 'endedWallMs',
  'receivedWallMs', 'firmwareVersion', 'serialNumber', 'targetUa', 'activeMs', 'chargeUc', 'peakUa', 'painPre', 'painPost',
  'faultCount', 'estopCount',
];

/** Column names with units, for a spreadsheet reader. */
const HEADER: Record<keyof SessionRow, string> = {
  id: 'record_id', benchId: 'bench_id', benchName: 'bench_name', participant: 'participant', presetId: 'preset_id', label: 'label',
  outcome: 'outcome', stopReason: 'stop_reason', createdWallMs: 'started_utc', endedWallMs: 'ended_utc', receivedWallMs: 'received_utc',
  firmwareVersion: 'firmware_version', serialNumber: 'board_serial', targetUa: 'target_ua', activeMs: 'active_ms', chargeUc: 'charge_uc',
  peakUa: 'peak_ua', painPre: 'pain_pre_nrs', painPost: 'pain_post_nrs', faultCount: 'faults', estopCount: 'emergency_stops',
};

const WALL_COLUMNS = new Set<keyof SessionRow>(['createdWallMs', 'endedWallMs', 'receivedWallMs']);

export function sessionsCsv(rows: readonly SessionRow[]): string {
  return toCsv(
    COLUMNS.map((c) => HEADER[c]),
    rows.map((row) => COLUMNS.map((c) => (WALL_COLUMNS.has(c) && row[c] !== null ? new Date(row[c] as number).toISOString() : row[c]))),
  );
}
