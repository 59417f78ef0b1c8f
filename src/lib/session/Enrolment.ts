/** A person (a channel) following a programme from a start day. Day 0 is the local date of `startedWallMs`. */
export interface Enrolment {
  id: string;
  programmeId: string;
  channel: number;
  startedWallMs: number;
  /** Set when the user stops the programme early; no occurrence after it is due. */
  endedWallMs: number | null;
}
