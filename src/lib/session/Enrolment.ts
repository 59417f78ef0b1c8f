/** A person (a channel) following a programme from a start day. Day 0 is the local date of `startedWallMs`. */
export interface Enrolment {
  id: string;
  programmeId: string;
  channel: number;
  startedWallMs: number;
  /** Set when the user stops the programme early; no occurrence after it is due. */
  endedWallMs: number | null;
  /**
   * Night slots (presets/nightSlots.ts) are scheduled only when this is true: the user turned night
   * sessions on, deliberately, at enrolment. Absent (older stored enrolments) counts as off.
   */
  nightSessions?: boolean;
}
