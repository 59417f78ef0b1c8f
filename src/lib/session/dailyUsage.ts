/**
 * Stimulation time of one participant within a rolling window (default 24 h), from the stored records,
 * across sessions, programmes, manual sessions and channels.
 *
 * The rule: every record of the participant counts in full, whatever channel it ran on, and records
 * that overlap in time (two channels on one person at once) are ADDED, not merged. Two channels for 6 h
 * at the same time use 12 h of the cap, the same as 6 h on one channel and then 6 h on the other. This
 * is stricter than counting each wall-clock second once: two channels deliver current through two
 * electrode pairs, twice the skin under current and twice the charge, so simultaneous time is no
 * smaller a dose than the same time in turn. It also needs nothing but the record headers, so it can
 * never undercount because a per-second activity trace is missing.
 *
 * Each closed record counts min(its delivered active time, the overlap of its [start, end] span with
 * the window): never more than it delivered, never more than could fall in the window. Interrupted
 * records end at their recovery time, an upper bound, so this never undercounts what the records hold.
 * An open record (a session running now, on another channel or in another tab) counts the larger of
 * its whole planned stimulation time and its overlap so far: it may still deliver all of its plan, and
 * two sessions admitted at once must not both be given the same remaining budget.
 *
 * Records made before participant codes existed count against every participant (participantOf).
 */
import type { SessionRecord } from './recordTypes.ts';
import { participantOf } from './participant.ts';

export const DAY_MS = 24 * 60 * 60 * 1000;
/** Default daily cap: 12 h of stimulation per participant per rolling 24 h (SAFETY.md § 3.1 "Daily cap": conventional mode's longest session). */
export const DEFAULT_DAILY_CAP_MS = 12 * 60 * 60 * 1000;

/** Delivered active time of a record, ms, over every channel it holds a dose for. */
export function recordActiveMs(record: SessionRecord): number {
  return record.dose.reduce((sum, d) => sum + d.activeMs, 0);
}

/** Whether `record` counts against `participant`'s cap (its own records, and records without a code). */
export function countsFor(record: SessionRecord, participant: string): boolean {
  const owner = participantOf(record);
  return owner === null || owner === participant;
}

/** Stimulation time of `participant` in the window ending now, ms (the rule above). */
export function dailyUsageMs(records: readonly SessionRecord[], participant: string, nowWallMs: number, windowMs = DAY_MS): number {
  const windowStart = nowWallMs - windowMs;
  let total = 0;
  for (const record of records) {
    if (!countsFor(record, participant)) continue;
    const end = record.endedWallMs ?? nowWallMs;
    const overlap = Math.max(0, Math.min(end, nowWallMs) - Math.max(record.createdWallMs, windowStart));
    if (record.status === 'open') {
      total += Math.max(overlap, record.plan.program.durationMs);
      continue;
    }
    if (overlap <= 0) continue;
    total += Math.min(recordActiveMs(record), overlap);
  }
  return total;
}

/** Stimulation time still allowed to `participant` now, ms (0 when the cap is reached). */
export function dailyBudgetMs(records: readonly SessionRecord[], participant: string, nowWallMs: number, capMs = DEFAULT_DAILY_CAP_MS, windowMs = DAY_MS): number {
  return Math.max(0, capMs - dailyUsageMs(records, participant, nowWallMs, windowMs));
}
