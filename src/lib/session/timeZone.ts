/**
 * Local time for schedules. Programme slots are local times of day; the offset is asked per instant so a
 * daylight-saving change moves the slots with the wall clock. Tests pass a fixed zone.
 */
export interface TimeZone {
  /** Minutes to add to UTC to get local time at this instant (e.g. +60 for CET in winter). */
  offsetMinutes(wallMs: number): number;
}

export const localTimeZone: TimeZone = { offsetMinutes: (wallMs) => -new Date(wallMs).getTimezoneOffset() };

export function fixedTimeZone(offsetMinutes: number): TimeZone {
  return { offsetMinutes: () => offsetMinutes };
}

const DAY_MS = 86_400_000;

/** Local clock reading of an instant, as ms since the epoch "in local time". */
export function toLocalMs(wallMs: number, tz: TimeZone): number {
  return wallMs + tz.offsetMinutes(wallMs) * 60_000;
}

/** The instant at which the local clock reads `localMs` (two passes settle a DST-boundary offset). */
export function fromLocalMs(localMs: number, tz: TimeZone): number {
  const first = localMs - tz.offsetMinutes(localMs) * 60_000;
  return localMs - tz.offsetMinutes(first) * 60_000;
}

/** Local midnight (as a local-ms value) of the day containing `wallMs`. */
export function localDayStart(wallMs: number, tz: TimeZone): number {
  return Math.floor(toLocalMs(wallMs, tz) / DAY_MS) * DAY_MS;
}

export { DAY_MS as LOCAL_DAY_MS };
