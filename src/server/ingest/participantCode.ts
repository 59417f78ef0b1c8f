/**
 * The pseudonymous participant code a record may carry (records made before codes existed have none):
 * letters, digits, "-" and "_", at most 16 characters, lower case, and no run of 6 or more digits (a date
 * of birth or a phone number is personal data and does not belong on the lab server).
 */
import * as v from 'valibot';

export const ParticipantCodeSchema = v.pipe(
  v.string(),
  v.maxLength(16, 'expected a participant code of at most 16 characters'),
  v.regex(/^[a-z0-9][a-z0-9_-]*$/, 'expected a participant code of lower-case letters, digits, "-" or "_"'),
  v.check((code) => !/\d{6,}/.test(code), 'expected a participant code with no run of 6 or more digits'),
);

/** Read `record.participant` from the posted document, whether or not the app's schema knows it yet. */
export const RecordParticipantSchema = v.object({
  record: v.looseObject({ participant: v.optional(ParticipantCodeSchema) }),
});
