/**
 * A programme's calendar: which sessions are due when, for an enrolment, and how each went. Pure
 * functions of (programme, enrolment, records, now, time zone), so the UI can recompute them at will.
 *
 * An occurrence is due from its slot time until `windowMinutes` later; after that, without a session, it
 * is missed. A session recorded for it (plan.programmeRef) that completed makes it completed; one that
 * ended any other way (stopped, fault, interrupted, ...) makes it partial.
 *
 * Night slots (presets/nightSlots.ts) are part of the course only for an enrolment with night sessions
 * turned on: by default nothing is due while the user sleeps.
 */
import { isNightSlot } from '../presets/nightSlots.ts';
import type { Programme } from '../presets/types.ts';
import type { SessionRecord } from './recordTypes.ts';
import type { Enrolment } from './Enrolment.ts';
import { LOCAL_DAY_MS, fromLocalMs, localDayStart, type TimeZone } from './timeZone.ts';

export interface Occurrence {
  enrolmentId: string;
  programmeId: string;
  dayIndex: number;
  slotId: string;
  presetId: string;
  intensity: 'day' | 'night';
  dueWallMs: number;
  windowEndWallMs: number;
}

export type OccurrenceStatus = 'completed' | 'partial' | 'missed' | 'in-progress' | 'due' | 'upcoming';

export interface OccurrenceReport {
  occurrence: Occurrence;
  status: OccurrenceStatus;
  recordIds: string[];
}

export interface Adherence {
  occurrences: OccurrenceReport[];
  completed: number;
  partial: number;
  missed: number;
  /** completed / (completed + partial + missed): sessions whose time has passed. null before any. */
  rate: number | null;
}

export const occurrenceKey = (o: Pick<Occurrence, 'enrolmentId' | 'dayIndex' | 'slotId'>) => `${o.enrolmentId}/${o.dayIndex}/${o.slotId}`;

/** Every occurrence of the course whose due time is in [fromWallMs, toWallMs), in time order. */
export function occurrencesBetween(programme: Programme, enrolment: Enrolment, fromWallMs: number, toWallMs: number, tz: TimeZone): Occurrence[] {
  const day0 = localDayStart(enrolment.startedWallMs, tz);
  const out: Occurrence[] = [];
  for (let day = 0; day < programme.courseLengthDays; day++) {
    const localMidnight = day0 + day * LOCAL_DAY_MS;
    const weekday = new Date(localMidnight).getUTCDay();
    if (!programme.daysOfWeek.includes(weekday)) continue;
    for (const slot of programme.slots) {
      if (isNightSlot(slot) && enrolment.nightSessions !== true) continue;
      const dueWallMs = fromLocalMs(localMidnight + slot.startMinuteOfDay * 60_000, tz);
      // Slots of the enrolment day before the moment of enrolment are not part of the course.
      if (dueWallMs < enrolment.startedWallMs) continue;
      if (enrolment.endedWallMs !== null && dueWallMs >= enrolment.endedWallMs) continue;
      if (dueWallMs < fromWallMs || dueWallMs >= toWallMs) continue;
      out.push({
        enrolmentId: enrolment.id,
        programmeId: programme.id,
        dayIndex: day,
        slotId: slot.id,
        presetId: slot.presetId,
        intensity: slot.intensity,
        dueWallMs,
        windowEndWallMs: dueWallMs + programme.windowMinutes * 60_000,
      });
    }
  }
  return out;
}

/** The status of one occurrence at `nowWallMs`, given the records made for it. */
export function occurrenceStatus(occurrence: Occurrence, records: readonly SessionRecord[], nowWallMs: number): OccurrenceReport {
  const mine = records.filter((r) => {
    const ref = r.plan.programmeRef;
    return ref !== null && ref.enrolmentId === occurrence.enrolmentId && ref.dayIndex === occurrence.dayIndex && ref.slotId === occurrence.slotId;
  });
  const recordIds = mine.map((r) => r.id);
  let status: OccurrenceStatus;
  if (mine.some((r) => r.outcome === 'completed')) status = 'completed';
  else if (mine.some((r) => r.status === 'open')) status = 'in-progress';
  else if (mine.length > 0) status = 'partial';
  else if (nowWallMs < occurrence.dueWallMs) status = 'upcoming';
  else if (nowWallMs < occurrence.windowEndWallMs) status = 'due';
  else status = 'missed';
  return { occurrence, status, recordIds };
}

/** Adherence over the whole course so far (and the rest, as upcoming). */
export function adherence(programme: Programme, enrolment: Enrolment, records: readonly SessionRecord[], nowWallMs: number, tz: TimeZone): Adherence {
  const reports = occurrencesBetween(programme, enrolment, -Infinity, Infinity, tz).map((o) => occurrenceStatus(o, records, nowWallMs));
  const count = (s: OccurrenceStatus) => reports.filter((r) => r.status === s).length;
  const completed = count('completed');
  const partial = count('partial');
  const missed = count('missed');
  const past = completed + partial + missed;
  return { occurrences: reports, completed, partial, missed, rate: past === 0 ? null : completed / past };
}

/** The first occurrence still to do: due now, or the next upcoming one. null when the course is over. */
export function nextDue(programme: Programme, enrolment: Enrolment, records: readonly SessionRecord[], nowWallMs: number, tz: TimeZone): OccurrenceReport | null {
  const from = nowWallMs - programme.windowMinutes * 60_000;
  for (const occurrence of occurrencesBetween(programme, enrolment, from, Infinity, tz)) {
    const report = occurrenceStatus(occurrence, records, nowWallMs);
    if (report.status === 'due' || report.status === 'upcoming') return report;
  }
  return null;
}
