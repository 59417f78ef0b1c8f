/**
 * Participant codes: who a session stimulated, as a pseudonym. A lab runs several people on one bench,
 * and the daily cap is a limit on one person's stimulation, so every record carries the code of the
 * person it was for. Codes are short pseudonyms such as "p01" or "s-017": letters, digits, "-" and "_",
 * at most 16 characters, with no run of 6 or more digits (a date of birth or a phone number does not
 * belong in a record). Codes are case-insensitive and stored in lower case, so "P01" and "p01" are one
 * person and cannot split a cap. A bench used by one person keeps the default code "self".
 */
import type { SessionRecord } from './recordTypes.ts';
import { SessionError } from './errors.ts';

export const DEFAULT_PARTICIPANT = 'self';
export const PARTICIPANT_CODE_MAX_LENGTH = 16;
const CODE_PATTERN = /^[a-z0-9][a-z0-9_-]*$/;
const LONG_DIGIT_RUN = /\d{6,}/;

/** A participant code that is not a short pseudonym. */
export class ParticipantCodeError extends SessionError {
  override name = 'ParticipantCodeError';
  readonly got: string;
  constructor(got: string, reason: string) {
    super('PARTICIPANT_INVALID', `participant code ${JSON.stringify(got.length > 40 ? `${got.slice(0, 40)}…` : got)} refused: ${reason}`);
    this.got = got;
  }
}

/** Check and normalise a participant code (trimmed, lower case). Throws ParticipantCodeError. */
export function parseParticipantCode(raw: string): string {
  const code = raw.trim().toLowerCase();
  if (code === '') throw new ParticipantCodeError(raw, `expected a code such as "p01" (or "${DEFAULT_PARTICIPANT}"), got nothing`);
  if (code.length > PARTICIPANT_CODE_MAX_LENGTH) throw new ParticipantCodeError(raw, `expected at most ${PARTICIPANT_CODE_MAX_LENGTH} characters, got ${code.length}`);
  if (!CODE_PATTERN.test(code)) throw new ParticipantCodeError(raw, 'expected letters, digits, "-" or "_" only, starting with a letter or digit (no spaces, no names or e-mail addresses)');
  if (LONG_DIGIT_RUN.test(code)) throw new ParticipantCodeError(raw, 'expected no run of 6 or more digits (no dates of birth or phone numbers: use a pseudonym)');
  return code;
}

/**
 * The participant a record belongs to, or null for a record made before participant codes existed. The
 * daily cap counts such a record against EVERY participant: nobody knows whom it stimulated, and
 * counting it for no one could let that person be stimulated past the cap.
 */
export function participantOf(record: SessionRecord): string | null {
  return record.participant ?? null;
}
