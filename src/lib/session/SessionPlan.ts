/**
 * What a session is asked to do: one channel's program (its amplitude is the TARGET, or the titration
 * ceiling), optional titration, and where it came from (preset, programme slot).
 */
import type { Program } from '../../../firmware-protocol/src/index.ts';

export interface TitrationPlan {
  /** First level, µA: the board ramps from 0 to it. */
  startUa: number;
  /** Each raise or lower moves this much, µA. */
  stepUa: number;
  /** Highest level the user may reach, µA (≤ the program's effective amplitude ceiling). */
  maxUa: number;
}

/** Which programme occurrence a session belongs to, for adherence. */
export interface ProgrammeRef {
  enrolmentId: string;
  programmeId: string;
  /** Day of the course, 0 = the enrolment day. */
  dayIndex: number;
  slotId: string;
}

export interface SessionPlan {
  /**
   * The program run on `program.channel`. `amplitudeUa` is the target reached by the ramp, or with
   * titration the ceiling the user may raise to. `durationMs` is the total stimulation time of the
   * session (ramps included), shared across pauses.
   */
  program: Program;
  titration: TitrationPlan | null;
  presetId: string | null;
  programmeRef: ProgrammeRef | null;
  label: string;
  /**
   * True for a manual session: a program set by hand and started from the Control screen, whose
   * amplitude the user moves live (SessionEngine.setLevel). Absent for preset and programme sessions.
   */
  manual?: boolean;
}

export type { Program };
