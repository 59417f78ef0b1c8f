/**
 * File names for exports: what, which session and when, safe on every file system
 * (letters, digits and dashes only), e.g. `stimbench-2026-01-05-0930-conventional-tens-3f2a9c1b.json`.
 */
import type { SessionRecord } from '../../../lib/session/recordTypes.ts';

const pad = (n: number) => String(n).padStart(2, '0');

export function fileStamp(wallMs: number): string {
  const d = new Date(wallMs);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}-${pad(d.getHours())}${pad(d.getMinutes())}`;
}

export function slug(text: string, maxLength = 40): string {
  const s = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return s.slice(0, maxLength).replace(/-+$/, '') || 'session';
}

export function recordFileName(record: SessionRecord, suffix: 'record.json' | 'events.csv' | 'session.csv'): string {
  const idPart = slug(record.id, 8);
  return `stimbench-${fileStamp(record.createdWallMs)}-${slug(record.plan.presetId ?? record.plan.label)}-${idPart}-${suffix}`;
}

export function sessionsFileName(nowWallMs: number): string {
  return `stimbench-sessions-${fileStamp(nowWallMs)}.csv`;
}
