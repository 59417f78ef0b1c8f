/**
 * A named time zone (IANA, e.g. "Europe/Berlin") as the session layer's TimeZone: the offset is asked
 * per instant, so programme slots move with daylight-saving changes exactly as on the bench.
 */
import type { TimeZone } from '../../lib/session/timeZone.ts';

export class TimeZoneError extends Error {
  override name = 'TimeZoneError';
}

/** The zone's name if the runtime knows it (e.g. "UTC", "Europe/Berlin"); throws TimeZoneError otherwise. */
export function checkTimeZoneName(name: string): string {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    throw new TimeZoneError(`time zone "${name.slice(0, 60)}" is not known: expected a name such as "Europe/Berlin" or "UTC"`);
  }
}

export function ianaTimeZone(name: string): TimeZone {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone: checkTimeZoneName(name),
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  return {
    offsetMinutes(wallMs) {
      const part = Object.fromEntries(format.formatToParts(wallMs).map((p) => [p.type, Number(p.value)]));
      const localMs = Date.UTC(part.year!, part.month! - 1, part.day!, part.hour!, part.minute!, part.second!);
      return Math.round((localMs - Math.floor(wallMs / 1000) * 1000) / 60_000);
    },
  };
}
