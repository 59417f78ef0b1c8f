/**
 * Where an enrolment stands, for a calendar: its state (active, finished, left), its course days, the
 * week's slots with their statuses, and the occurrences due now or soon over every active enrolment.
 * Pure functions of (programme, enrolment, records, now, time zone) on top of programmeSchedule.ts, so
 * what a screen shows always agrees with the records and is never stored.
 */
import type { Programme } from '../presets/types.ts';
import type { Enrolment } from './Enrolment.ts';
import { adherence, nextDue, occurrenceStatus, occurrencesBetween, type Adherence, type Occurrence, type OccurrenceReport } from './programmeSchedule.ts';
import type { SessionRecord } from './recordTypes.ts';
import { LOCAL_DAY_MS, fromLocalMs, localDayStart, type TimeZone } from './timeZone.ts';

export type EnrolmentState = 'active' | 'finished' | 'left';

export interface EnrolmentView {
  enrolment: Enrolment;
  /** null when the programme is no longer in the catalogue (a deleted import). */
  programme: Programme | null;
  state: EnrolmentState;
  adherence: Adherence | null;
  next: OccurrenceReport | null;
  /** Local midnight (local ms) of course day 0, and of the day after the last course day. */
  firstDayLocalMs: number;
  endLocalMs: number;
  /** 0-based course day of today, or null outside the course. */
  todayIndex: number | null;
}

export interface CalendarDay {
  /** Local midnight, local ms. */
  localMs: number;
  isToday: boolean;
  /** 0-based course day, or null outside the course. */
  courseDay: number | null;
  slots: OccurrenceReport[];
}

/** Everything a screen shows about one enrolment at `nowWallMs`. */
export function enrolmentView(programme: Programme | null, enrolment: Enrolment, records: readonly SessionRecord[], nowWallMs: number, tz: TimeZone): EnrolmentView {
  const firstDayLocalMs = localDayStart(enrolment.startedWallMs, tz);
  const endLocalMs = firstDayLocalMs + (programme?.courseLengthDays ?? 0) * LOCAL_DAY_MS;
  const todayLocal = localDayStart(nowWallMs, tz);
  const todayIndex = todayLocal >= firstDayLocalMs && todayLocal < endLocalMs ? Math.round((todayLocal - firstDayLocalMs) / LOCAL_DAY_MS) : null;
  if (!programme) return { enrolment, programme, state: enrolment.endedWallMs !== null ? 'left' : 'finished', adherence: null, next: null, firstDayLocalMs, endLocalMs, todayIndex };
  const adh = adherence(programme, enrolment, records, nowWallMs, tz);
  const next = nextDue(programme, enrolment, records, nowWallMs, tz);
  const state: EnrolmentState = enrolment.endedWallMs !== null ? 'left' : next === null && adh.occurrences.every((o) => o.status !== 'in-progress') ? 'finished' : 'active';
  return { enrolment, programme, state, adherence: adh, next, firstDayLocalMs, endLocalMs, todayIndex };
}

/** The 7 days of the week starting at `weekStartLocalMs`, each with its slots and their statuses. */
export function calendarWeek(programme: Programme | null, enrolment: Enrolment, records: readonly SessionRecord[], weekStartLocalMs: number, nowWallMs: number, tz: TimeZone): CalendarDay[] {
  const firstDay = localDayStart(enrolment.startedWallMs, tz);
  const today = localDayStart(nowWallMs, tz);
  const length = programme?.courseLengthDays ?? 0;
  const days: CalendarDay[] = [];
  const occurrences = programme ? occurrencesBetween(programme, enrolment, fromLocalMs(weekStartLocalMs, tz), fromLocalMs(weekStartLocalMs + 7 * LOCAL_DAY_MS, tz), tz) : [];
  for (let i = 0; i < 7; i++) {
    const localMs = weekStartLocalMs + i * LOCAL_DAY_MS;
    const courseDay = Math.round((localMs - firstDay) / LOCAL_DAY_MS);
    const slots = occurrences.filter((o) => localDayStart(o.dueWallMs, tz) === localMs).map((o) => occurrenceStatus(o, records, nowWallMs));
    days.push({ localMs, isToday: localMs === today, courseDay: courseDay >= 0 && courseDay < length ? courseDay : null, slots });
  }
  return days;
}

/** Occurrences not yet done, due now or later (the next week), over every active enrolment, in time order. */
export function dueOrUpcoming(enrolments: readonly Enrolment[], programmeOf: (id: string) => Programme | null, records: readonly SessionRecord[], nowWallMs: number, tz: TimeZone): Occurrence[] {
  const out: Occurrence[] = [];
  for (const enrolment of enrolments) {
    const programme = programmeOf(enrolment.programmeId);
    if (!programme || enrolment.endedWallMs !== null) continue;
    const from = nowWallMs - programme.windowMinutes * 60_000;
    for (const o of occurrencesBetween(programme, enrolment, from, nowWallMs + 7 * LOCAL_DAY_MS, tz)) {
      const status = occurrenceStatus(o, records, nowWallMs).status;
      if (status === 'due' || status === 'upcoming') out.push(o);
    }
  }
  return out.sort((a, b) => a.dueWallMs - b.dueWallMs);
}

/** Local midnight of the Monday of the week holding the local day `localDayMs` (calendars start on Monday). */
export function mondayOf(localDayMs: number): number {
  const weekday = new Date(localDayMs).getUTCDay();
  return localDayMs - ((weekday + 6) % 7) * LOCAL_DAY_MS;
}
