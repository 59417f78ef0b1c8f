/**
 * Night slots: programme sessions that fall while the user is normally asleep. Stimulation during sleep
 * is a precaution in TENS labelling (the user cannot notice pain, burning or a lifted electrode), so a
 * night slot is never scheduled unless the user deliberately turns night sessions on for an enrolment.
 *
 * A slot is a night slot when the programme marks it `intensity: 'night'`, or when it starts between
 * 22:00 and 06:59 local time (StimBench's default night; a first "bedtime" session at day intensity is a
 * night slot too).
 */
import type { Programme, ProgrammeSlot } from './types.ts';

/** Night begins at 22:00 local time, minutes after midnight. StimBench default. */
export const NIGHT_START_MINUTE = 22 * 60;
/** Night ends at 07:00 local time (exclusive), minutes after midnight. StimBench default. */
export const NIGHT_END_MINUTE = 7 * 60;

export function isNightSlot(slot: Pick<ProgrammeSlot, 'intensity' | 'startMinuteOfDay'>): boolean {
  return slot.intensity === 'night' || slot.startMinuteOfDay >= NIGHT_START_MINUTE || slot.startMinuteOfDay < NIGHT_END_MINUTE;
}

export function hasNightSlots(programme: Pick<Programme, 'slots'>): boolean {
  return programme.slots.some(isNightSlot);
}

/** The warning shown wherever a programme with night slots can be enrolled. */
export const SLEEP_WARNING =
  'This programme has sessions during the night. Stimulating while asleep means you cannot notice pain, burning, ' +
  'skin irritation or a lifted electrode, and you cannot press STOP. Night sessions are off unless you turn them on; ' +
  'turn them on only if you have used the same settings awake without any skin reaction, and check your skin every morning.';
