/**
 * Adherence of a participant to their assigned programme, week by week: the sessions the programme
 * scheduled so far against the sessions the participant's benches actually recorded for them.
 *
 * The schedule and the status of each scheduled session are the session layer's own rules
 * (session/programmeSchedule.ts: `adherence`), applied to an enrolment made from the assignment (day 1 =
 * the start day, midnight in the assignment's time zone; night slots only when turned on). The lab
 * server then decides which stored record was made for which scheduled session: a record counts for a
 * session when it is the participant's, ran the session's preset, and started inside the session's
 * window (from its time until `windowMinutes` later); when windows of the same preset overlap, the
 * latest session already due when the record started takes it. The bench's own programme reference is
 * not used: a bench enrolment's days need not line up with the lab's assignment.
 * A completed record makes the session done, any other outcome partial; without one it is missed once
 * its window has passed. Sessions due later are not yet scheduled "so far".
 */
import { adherence, occurrencesBetween, type Occurrence, type OccurrenceStatus } from '../../lib/session/programmeSchedule.ts';
import type { Enrolment } from '../../lib/session/Enrolment.ts';
import { fromLocalMs } from '../../lib/session/timeZone.ts';
import type { SessionRecord } from '../../lib/session/recordTypes.ts';
import type { Queryable } from '../db/Database.ts';
import { builtinProgramme, type Assignment } from './assignments.ts';
import { ianaTimeZone } from './ianaTimeZone.ts';

export interface AdherenceWeek {
  /** 1-based course week: week 1 starts on the start day. */
  week: number;
  firstDay: string;
  lastDay: string;
  /** Sessions the programme schedules in this week (night slots only when turned on). */
  scheduled: number;
  /** Of those, the ones whose time has come (done, partial, missed, or due now). */
  dueSoFar: number;
  completed: number;
  partial: number;
  missed: number;
}

export interface AdherenceReport {
  assignment: Assignment;
  programme: { id: string; name: string; courseLengthDays: number; windowMinutes: number };
  asOfWallMs: number;
  weeks: AdherenceWeek[];
  totals: { scheduled: number; dueSoFar: number; completed: number; partial: number; missed: number; rate: number | null };
  /** The participant's records that matched no scheduled session (another preset, or outside every window). */
  unmatchedSessions: number;
}

const DAY_MS = 86_400_000;
const dayText = (startDay: string, plusDays: number) => new Date(Date.parse(`${startDay}T00:00:00Z`) + plusDays * DAY_MS).toISOString().slice(0, 10);

/** The latest scheduled session of the record's preset whose window holds the record's start, or null. */
function latestOpenSlot(schedule: readonly Occurrence[], record: SessionRecord): Occurrence | null {
  for (let i = schedule.length - 1; i >= 0; i--) {
    const o = schedule[i]!;
    if (o.presetId === record.plan.presetId && o.dueWallMs <= record.createdWallMs && record.createdWallMs < o.windowEndWallMs) return o;
  }
  return null;
}

export async function adherenceReport(db: Queryable, assignment: Assignment, nowWallMs: number): Promise<AdherenceReport> {
  const programme = builtinProgramme(assignment.programmeId);
  if (!programme) throw new Error(`programme "${assignment.programmeId}" is no longer built in`);
  const tz = ianaTimeZone(assignment.timeZone);
  const enrolment: Enrolment = {
    id: `lab-assignment:${assignment.participant}`,
    programmeId: programme.id,
    channel: 0,
    startedWallMs: fromLocalMs(Date.parse(`${assignment.startDay}T00:00:00Z`), tz),
    endedWallMs: null,
    nightSessions: assignment.nightSessions,
  };
  const schedule = occurrencesBetween(programme, enrolment, -Infinity, Infinity, tz);
  const rows = await db.query<{ record: SessionRecord }>(
    `select body->'record' as record from records where participant = $1 and created_wall_ms >= $2 order by created_wall_ms, id`,
    [assignment.participant, enrolment.startedWallMs],
  );
  // Each record is handed to the session layer as made for the scheduled session it matched.
  const matched: SessionRecord[] = [];
  let unmatchedSessions = 0;
  for (const { record } of rows) {
    const occurrence = latestOpenSlot(schedule, record);
    if (!occurrence) {
      unmatchedSessions++;
      continue;
    }
    const programmeRef = { enrolmentId: enrolment.id, programmeId: programme.id, dayIndex: occurrence.dayIndex, slotId: occurrence.slotId };
    matched.push({ ...record, plan: { ...record.plan, programmeRef } });
  }
  const result = adherence(programme, enrolment, matched, nowWallMs, tz);

  const weeks: AdherenceWeek[] = Array.from({ length: Math.ceil(programme.courseLengthDays / 7) }, (_, w) => ({
    week: w + 1,
    firstDay: dayText(assignment.startDay, w * 7),
    lastDay: dayText(assignment.startDay, Math.min(w * 7 + 6, programme.courseLengthDays - 1)),
    scheduled: 0,
    dueSoFar: 0,
    completed: 0,
    partial: 0,
    missed: 0,
  }));
  const counted: Partial<Record<OccurrenceStatus, 'completed' | 'partial' | 'missed'>> = { completed: 'completed', partial: 'partial', missed: 'missed' };
  for (const report of result.occurrences) {
    const week = weeks[Math.floor(report.occurrence.dayIndex / 7)]!;
    week.scheduled++;
    if (report.status !== 'upcoming') week.dueSoFar++;
    const key = counted[report.status];
    if (key) week[key]++;
  }
  const sum = (key: 'scheduled' | 'dueSoFar') => weeks.reduce((total, w) => total + w[key], 0);
  return {
    assignment,
    programme: { id: programme.id, name: programme.name, courseLengthDays: programme.courseLengthDays, windowMinutes: programme.windowMinutes },
    asOfWallMs: nowWallMs,
    weeks,
    totals: { scheduled: sum('scheduled'), dueSoFar: sum('dueSoFar'), completed: result.completed, partial: result.partial, missed: result.missed, rate: result.rate },
    unmatchedSessions,
  };
}
