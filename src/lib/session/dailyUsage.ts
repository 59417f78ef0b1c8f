/**
 * Stimulation time on one channel within a rolling window (default 24 h), from the stored records,
 * across sessions and programmes. Each record counts min(its delivered active time, the overlap of its
 * [start, end] span with the window): never more than it delivered, never more than could fall in the
 * window. Interrupted records end at their recovery time, an upper bound, so this never undercounts
 * what the records hold. Open records (another session running now) count up to now.
 */
import type { SessionRecord } from '../storage/recordTypes.ts';

export const DAY_MS = 24 * 60 * 60 * 1000;
/** Default daily cap: 12 h of stimulation per channel per rolling 24 h (SAFETY.md § 3.1 "Daily cap": conventional mode's longest session). */
export const DEFAULT_DAILY_CAP_MS = 12 * 60 * 60 * 1000;

export function recordActiveMs(record: SessionRecord, channel: number): number {
  return record.dose.filter((d) => d.channel === channel).reduce((sum, d) => sum + d.activeMs, 0);
}

export function dailyUsageMs(records: readonly SessionRecord[], channel: number, nowWallMs: number, windowMs = DAY_MS): number {
  const windowStart = nowWallMs - windowMs;
  let total = 0;
  for (const record of records) {
    if (record.plan.program.channel !== channel) continue;
    const end = record.endedWallMs ?? nowWallMs;
    const overlap = Math.max(0, Math.min(end, nowWallMs) - Math.max(record.createdWallMs, windowStart));
    if (overlap <= 0) continue;
    // An open record has no dose yet: count its whole overlap (it may be stimulating all of it).
    const active = record.status === 'open' ? overlap : recordActiveMs(record, channel);
    total += Math.min(active, overlap);
  }
  return total;
}

/** Stimulation time still allowed on `channel` now, ms (0 when the cap is reached). */
export function dailyBudgetMs(records: readonly SessionRecord[], channel: number, nowWallMs: number, capMs = DEFAULT_DAILY_CAP_MS, windowMs = DAY_MS): number {
  return Math.max(0, capMs - dailyUsageMs(records, channel, nowWallMs, windowMs));
}
