import { describeError } from './errorWords.ts';

/** Display helpers. Wire values stay integers; only the text shown is converted. */
export function formatUsbId(id: number | undefined): string {
  return id === undefined ? '—' : id.toString(16).padStart(4, '0');
}
export function formatMa(ua: number, decimals = 1): string {
  return `${(ua / 1000).toFixed(decimals)} mA`;
}
export function formatHz(deciHz: number): string {
  return `${(deciHz / 10).toFixed(deciHz % 10 === 0 ? 0 : 1)} Hz`;
}
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${String(sec).padStart(2, '0')}` : `${m}:${String(sec).padStart(2, '0')}`;
}
/**
 * An error for the user: the cause in words on the first line, then "code: …" (the typed error's class,
 * code and raw message) on a second line that ErrorNote shows muted.
 */
export function errorText(e: unknown): string {
  const { text, detail } = describeError(e);
  return text === detail ? text : `${text}\n${CODE_PREFIX}${detail}`;
}
export const CODE_PREFIX = 'code: ';
