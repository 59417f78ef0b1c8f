/**
 * The `stimbench` exit codes: one per way a command can end, so a lab script or CI job can tell a
 * refused session from a stopped one, a fault from a lost link. Listed in `--help` and the README.
 */
import type { SessionOutcome, StopReason } from '../lib/session/recordTypes.ts';

export const EXIT = {
  /** The session completed; the check passed; the command did what was asked. */
  ok: 0,
  /** Something unexpected went wrong in stimbench itself (the message says what). */
  internal: 1,
  /** Bad command line: unknown option, missing or malformed value. */
  usage: 2,
  /** The session did not start: invalid plan or file, daily cap used up, board not ready or refusing to start (e.g. electrode contact), records directory in use. */
  refused: 3,
  /** The session was stopped before its end (Ctrl-C: ramped stop; or a limit stopped it). */
  stopped: 4,
  /** The session ended by ESTOP (a second Ctrl-C, or SIGTERM/SIGHUP). */
  estopped: 5,
  /** The board reported a fault, or the record could not be written. */
  fault: 6,
  /** The board could not be reached, or the connection was lost. */
  linkLost: 7,
  /** `stimbench check`: at least one conformance check failed. */
  checkFailed: 8,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export const EXIT_CODES_HELP = `
Exit codes:
  0  completed (session ran to its end; check passed; command succeeded)
  1  internal error in stimbench
  2  usage error (bad or missing option)
  3  refused: the session did not start (invalid plan or file, daily cap used up, board not ready
     or refusing to start, e.g. poor electrode contact; records directory in use)
  4  stopped before the end (Ctrl-C ramped stop, or a limit stopped it)
  5  ESTOP (second Ctrl-C, SIGTERM or SIGHUP)
  6  fault (board fault, or the record could not be written)
  7  link lost (board unreachable or connection lost)
  8  conformance check failed (stimbench check)`;

export function exitCodeOfOutcome(outcome: SessionOutcome | null, stopReason: StopReason | null): ExitCode {
  switch (outcome) {
    case 'completed':
      return EXIT.ok;
    case 'stopped':
      // The board refused to start (no output was delivered): a refusal, not a stop.
      return stopReason === 'device-refused' ? EXIT.refused : EXIT.stopped;
    case 'estopped':
      return EXIT.estopped;
    case 'fault':
      return EXIT.fault;
    case 'connection-lost':
      return EXIT.linkLost;
    default:
      return EXIT.internal;
  }
}

/** A command's failure with the exit code it maps to and a plain-words message. */
export class CliError extends Error {
  override name = 'CliError';
  readonly exitCode: ExitCode;
  constructor(exitCode: ExitCode, message: string) {
    super(message);
    this.exitCode = exitCode;
  }
}
