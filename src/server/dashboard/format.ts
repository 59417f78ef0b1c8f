/** Words and units of the dashboard, shared with the app's History screen where they are the same. */
import { formatWallTime } from '../../ui/components/history/formatRecord.ts';

export { formatCharge, formatDate, formatSpan } from '../../ui/components/history/formatRecord.ts';

export const OUTCOME_WORDS: Record<string, string> = {
  completed: 'Completed',
  stopped: 'Stopped by the operator',
  estopped: 'Emergency stop',
  fault: 'Board fault',
  'connection-lost': 'Connection lost',
  interrupted: 'Interrupted',
};

export function outcomeWords(outcome: string): string {
  return OUTCOME_WORDS[outcome] ?? outcome;
}

/** Local wall time, YYYY-MM-DD HH:MM:SS like the app's History; a dash when unknown. */
export function formatWhen(wallMs: number | null): string {
  return wallMs === null ? '—' : formatWallTime(wallMs);
}

export function formatMa(ua: number | null): string {
  return ua === null ? '—' : `${(ua / 1000).toFixed(1)} mA`;
}

/** Pain on the 0–10 scale the app asks for. */
export function formatPain(pain: number | null): string {
  return pain === null ? '—' : `${Number.isInteger(pain) ? pain : pain.toFixed(1)}/10`;
}
