/**
 * Store one record posted by a bench, in one statement (atomic), idempotent by record id:
 * - the body must be a `stimbench-record` document valid under the app's own record file schema, of a
 *   closed record (finished or interrupted), whose id is the Idempotency-Key and whose events and
 *   summaries all belong to it, and whose dose agrees with its own summaries (checkDose.ts);
 * - the bench must still be active when the record is stored (checked in the storing statement);
 * - new id → stored, 201 `{ id }`; the same record again (same content; the export time may differ)
 *   → 200 `{ id, duplicate: true }`; a different record under a stored id → 409, nothing changed.
 * One statement with `on conflict do nothing`, so two concurrent posts of one record store it once.
 */
import * as v from 'valibot';
import { formatPath } from '../../lib/presets/parsePresetFile.ts';
import { RecordFileSchema, type RecordFile } from '../../lib/session/recordFileSchema.ts';
import { sha256Hex } from '../auth/tokens.ts';
import type { Database } from '../db/Database.ts';
import { canonicalJson } from './canonicalJson.ts';
import { checkDose } from './checkDose.ts';
import { ParticipantCodeError, parseParticipantCode } from '../../lib/session/participant.ts';

export type IngestOutcome =
  | { status: 201 | 200; body: { id: string; duplicate: boolean } }
  | { status: 401 | 409 | 422; body: { error: string; message: string } };

function refuse(status: 401 | 409 | 422, error: string, message: string): IngestOutcome {
  return { status, body: { error, message } };
}

function firstIssue(issues: readonly v.BaseIssue<unknown>[]): string {
  const issue = issues[0];
  const path = formatPath((issue?.path ?? []).map((p) => p.key));
  return `${path || '(document)'}: ${issue?.message ?? 'invalid'}`;
}

/** Why `code` is not a stored participant code (a short lower-case pseudonym), or null when it is one. */
function participantRefusal(code: string): string | null {
  try {
    return parseParticipantCode(code) === code ? null : `participant code ${JSON.stringify(code)} is not in its stored form (trimmed, lower case)`;
  } catch (error) {
    if (error instanceof ParticipantCodeError) return error.message;
    throw error;
  }
}

export async function ingestRecord(db: Database, benchId: string, idempotencyKey: string, body: unknown, nowWallMs: number): Promise<IngestOutcome> {
  const parsed = v.safeParse(RecordFileSchema, body);
  if (!parsed.success) return refuse(422, 'BAD_RECORD', `not a valid stimbench-record document: ${firstIssue(parsed.issues)}`);
  const file: RecordFile = parsed.output;
  const participant = file.record.participant ?? null;
  if (participant !== null) {
    // The same rule the bench applied when it made the record; a stored code is already normalised.
    const refusal = participantRefusal(participant);
    if (refusal) return refuse(422, 'BAD_PARTICIPANT', refusal);
  }
  const { record } = file;
  if (record.id !== idempotencyKey) return refuse(422, 'KEY_MISMATCH', `Idempotency-Key "${idempotencyKey}" is not the record id "${record.id}"`);
  if (record.status !== 'closed' || record.outcome === null) return refuse(422, 'RECORD_OPEN', `record ${record.id} is still open: only finished or interrupted records are accepted`);
  const stranger = [...file.events, ...file.summaries].find((part) => part.recordId !== record.id);
  if (stranger) return refuse(422, 'FOREIGN_PART', `an event or summary of record "${stranger.recordId}" was sent with record "${record.id}"`);
  const mismatch = checkDose(file);
  if (mismatch) {
    return refuse(422, 'DOSE_MISMATCH', `the record's dose does not match its own samples: channel ${mismatch.channel + 1} ${mismatch.field} is ${mismatch.got}, the samples give ${mismatch.expected}`);
  }

  const content = { record: { ...record, participant }, events: file.events, summaries: file.summaries };
  const contentSha256 = sha256Hex(canonicalJson(content));
  const sum = (pick: (d: RecordFile['record']['dose'][number]) => number) => record.dose.reduce((total, d) => total + pick(d), 0);
  const faultCount = file.events.filter((e) => e.kind === 'fault').length;
  const estopCount = file.events.filter((e) => (e.kind === 'user' && e.action === 'estop') || (e.kind === 'command' && e.command === 'estop')).length;

  // One statement, so one round trip and atomic without an explicit transaction (begin and commit
  // would be two more round trips). It re-checks that the bench is active (the route may have found the
  // bench through its token cache): a bench revoked since stores nothing and the post is refused as 401.
  // The bench's last-seen update and the insert are data-modifying CTEs; the stored digest is read in
  // the same statement for the duplicate check.
  const [row] = await db.query<{ active: number; inserted: number; stored: string | null }>(
    `with seen as (
       update benches set last_seen_wall_ms = $11, last_firmware = $12 where id = $2 and revoked_wall_ms is null returning id
     ), ins as (
       insert into records (id, bench_id, content_sha256, participant, preset_id, label, outcome, stop_reason,
         created_wall_ms, ended_wall_ms, received_wall_ms, firmware_version, serial_number, target_ua,
         active_ms, charge_uc, peak_ua, pain_pre, pain_post, fault_count, estop_count, body)
       select $1::text, seen.id, $3::text, $4::text, $5::text, $6::text, $7::text, $8::text, $9::float8, $10::float8, $11::float8,
         $12::text, $13::text, $14::float8, $15::float8, $16::float8, $17::float8, $18::int, $19::int, $20::int, $21::int, $22::text::jsonb
       from seen
       on conflict (id) do nothing
       returning id
     )
     select (select count(*) from seen)::int as active, (select count(*) from ins)::int as inserted,
       (select content_sha256 from records where id = $1) as stored`,
    [
      record.id,
      benchId,
      contentSha256,
      participant,
      record.plan.presetId,
      record.plan.label,
      record.outcome,
      record.stopReason,
      record.createdWallMs,
      record.endedWallMs,
      nowWallMs,
      record.board.firmwareVersion,
      record.board.serialNumber,
      record.targetUa,
      sum((d) => d.activeMs),
      sum((d) => d.chargeUc),
      record.dose.reduce((peak, d) => Math.max(peak, d.peakUa), 0),
      record.pain.pre,
      record.pain.post,
      faultCount,
      estopCount,
      JSON.stringify(content),
    ],
  );
  if (row?.active !== 1) return refuse(401, 'BAD_TOKEN', 'this bench token has been revoked: nothing was stored');
  if (row?.inserted === 1) return { status: 201, body: { id: record.id, duplicate: false } };
  // The statement's snapshot predates a concurrent post of the same id that committed while this insert
  // waited on it: then the stored digest is read again, now that it is visible.
  const stored = row?.stored ?? (await db.query<{ content_sha256: string }>(`select content_sha256 from records where id = $1`, [record.id]))[0]?.content_sha256;
  if (stored === contentSha256) return { status: 200, body: { id: record.id, duplicate: true } };
  return refuse(409, 'CONFLICT', `the lab server already holds a different record under id "${record.id}": this one was not stored`);
}
