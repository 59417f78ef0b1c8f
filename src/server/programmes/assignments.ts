/**
 * Programme assignments: an administrator puts a participant on one of the app's built-in programmes
 * from a start day (day 1 of the course), in a named time zone (the programme's slot times are local
 * times there). One assignment per participant; assigning again replaces it. Every change is audited
 * by the route with what it replaced.
 */
import * as v from 'valibot';
import { BUILTIN_PROGRAMMES } from '../../lib/presets/builtinProgrammes.ts';
import { hasNightSlots } from '../../lib/presets/nightSlots.ts';
import type { Programme } from '../../lib/presets/types.ts';
import type { Queryable } from '../db/Database.ts';
import { checkTimeZoneName, TimeZoneError } from './ianaTimeZone.ts';

export interface Assignment {
  participant: string;
  programmeId: string;
  /** The course's first day, YYYY-MM-DD in `timeZone`. */
  startDay: string;
  timeZone: string;
  /** Night slots are part of the course only when turned on, as on the bench (presets/nightSlots.ts). */
  nightSessions: boolean;
  assignedWallMs: number;
}

/** What the dashboard lists to choose from. */
export interface ProgrammeChoice {
  id: string;
  name: string;
  summary: string;
  courseLengthDays: number;
  sessionsPerDay: number;
  hasNightSlots: boolean;
}

export function builtinProgramme(id: string): Programme | null {
  return BUILTIN_PROGRAMMES.find((p) => p.id === id) ?? null;
}

export function programmeChoices(): ProgrammeChoice[] {
  return BUILTIN_PROGRAMMES.map((p) => ({
    id: p.id,
    name: p.name,
    summary: p.summary,
    courseLengthDays: p.courseLengthDays,
    sessionsPerDay: p.slots.length,
    hasNightSlots: hasNightSlots(p),
  }));
}

/** A real calendar day written YYYY-MM-DD. */
const isCalendarDay = (day: string) => /^\d{4}-\d{2}-\d{2}$/.test(day) && new Date(`${day}T00:00:00Z`).toISOString().startsWith(day);

export const AssignmentInputSchema = v.object({
  programmeId: v.pipe(
    v.string(),
    v.check((id) => builtinProgramme(id) !== null, `expected the id of a built-in programme: ${BUILTIN_PROGRAMMES.map((p) => p.id).join(', ')}`),
  ),
  startDay: v.pipe(v.string(), v.check(isCalendarDay, 'expected the start day as a date such as 2026-03-02')),
  timeZone: v.pipe(
    v.string(),
    v.maxLength(60, 'expected a time zone name such as "Europe/Berlin"'),
    v.rawTransform(({ dataset, addIssue, NEVER }) => {
      try {
        return checkTimeZoneName(dataset.value);
      } catch (error) {
        if (!(error instanceof TimeZoneError)) throw error;
        addIssue({ message: error.message });
        return NEVER;
      }
    }),
  ),
  nightSessions: v.optional(v.boolean('expected nightSessions true or false'), false),
});

export type AssignmentInput = v.InferOutput<typeof AssignmentInputSchema>;

const SELECT = `select participant, programme_id as "programmeId", start_day as "startDay", time_zone as "timeZone",
  night_sessions as "nightSessions", assigned_wall_ms as "assignedWallMs" from programme_assignments`;

export async function getAssignment(db: Queryable, participant: string): Promise<Assignment | null> {
  const [row] = await db.query<Assignment>(`${SELECT} where participant = $1`, [participant]);
  return row ?? null;
}

/** Assign (or replace); returns the assignment it replaced, or null. */
export async function setAssignment(db: Queryable, participant: string, input: AssignmentInput, adminId: number, nowWallMs: number): Promise<{ assignment: Assignment; replaced: Assignment | null }> {
  const replaced = await getAssignment(db, participant);
  await db.query(
    `insert into programme_assignments (participant, programme_id, start_day, time_zone, night_sessions, assigned_wall_ms, assigned_by)
     values ($1, $2, $3, $4, $5, $6, $7)
     on conflict (participant) do update set programme_id = excluded.programme_id, start_day = excluded.start_day,
       time_zone = excluded.time_zone, night_sessions = excluded.night_sessions, assigned_wall_ms = excluded.assigned_wall_ms,
       assigned_by = excluded.assigned_by`,
    [participant, input.programmeId, input.startDay, input.timeZone, input.nightSessions, nowWallMs, adminId],
  );
  return { assignment: { participant, ...input, assignedWallMs: nowWallMs }, replaced };
}

/** Remove a participant's assignment; returns what was removed, or null when there was none. */
export async function removeAssignment(db: Queryable, participant: string): Promise<Assignment | null> {
  const [row] = await db.query<Assignment>(
    `delete from programme_assignments where participant = $1 returning participant, programme_id as "programmeId", start_day as "startDay",
       time_zone as "timeZone", night_sessions as "nightSessions", assigned_wall_ms as "assignedWallMs"`,
    [participant],
  );
  return row ?? null;
}
