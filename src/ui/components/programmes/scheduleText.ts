/**
 * A programme's schedule in words: days of the week, slot times, night intensity, the start window,
 * and the status words and icons of a calendar slot (never colour alone).
 */
import type { Programme, ProgrammeValueKey } from '../../../lib/presets/types.ts';
import type { OccurrenceStatus } from '../../../lib/session/programmeSchedule.ts';
import type { StateLook } from '../history/outcomeText.ts';

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');

export function minuteOfDayText(minute: number): string {
  return `${pad(Math.floor(minute / 60))}:${pad(minute % 60)}`;
}

/** A local-ms value (ms since the epoch on the local clock) read as a date: "Mon 5 Jan". */
export function localDayLabel(localMs: number, withYear = false): string {
  const d = new Date(localMs);
  return `${WEEKDAYS[d.getUTCDay()]} ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]}${withYear ? ` ${d.getUTCFullYear()}` : ''}`;
}

/** Local clock time of a local-ms value: "09:00". */
export function localTimeText(localMs: number): string {
  const d = new Date(localMs);
  return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

export function daysOfWeekText(days: readonly number[]): string {
  if (days.length === 7) return 'every day';
  // Monday first, as calendars here are drawn.
  return [...days].sort((a, b) => ((a + 6) % 7) - ((b + 6) % 7)).map((d) => WEEKDAYS[d]).join(', ');
}

export function windowText(minutes: number): string {
  return minutes % 60 === 0 ? `${minutes / 60} h` : minutes > 60 ? `${Math.floor(minutes / 60)} h ${minutes % 60} min` : `${minutes} min`;
}

export const VALUE_LABEL: Record<ProgrammeValueKey, string> = {
  courseLengthDays: 'Course length',
  daysOfWeek: 'Days',
  slots: 'Session times',
  sessionPresets: 'Session presets',
  nightIntensityPermille: 'Night intensity',
  windowMinutes: 'Start window',
};

/** Each provenance-marked schedule value as text. */
export function scheduleValues(p: Programme, presetName: (id: string) => string): Record<ProgrammeValueKey, string> {
  const presets = [...new Set(p.slots.map((s) => s.presetId))];
  return {
    courseLengthDays: `${p.courseLengthDays} days`,
    daysOfWeek: daysOfWeekText(p.daysOfWeek),
    slots: `${p.slots.length} a day: ${p.slots.map((s) => `${minuteOfDayText(s.startMinuteOfDay)}${s.intensity === 'night' ? ' (night)' : ''}`).join(', ')}`,
    sessionPresets: presets.map(presetName).join('; '),
    nightIntensityPermille: p.nightIntensityPermille === 1000 ? 'same as the day (100 %)' : `${p.nightIntensityPermille / 10} % of the day intensity`,
    windowMinutes: `${windowText(p.windowMinutes)} after the slot time, then missed`,
  };
}

export const SLOT_LOOK: Record<OccurrenceStatus, StateLook> = {
  completed: { label: 'Completed', icon: 'check', tone: 'ok' },
  partial: { label: 'Partial', icon: 'half', tone: 'warn' },
  missed: { label: 'Missed', icon: 'cross', tone: 'danger' },
  'in-progress': { label: 'In progress', icon: 'play', tone: 'neutral' },
  due: { label: 'Due now', icon: 'bell', tone: 'warn' },
  upcoming: { label: 'Upcoming', icon: 'circle', tone: 'neutral' },
};
