/**
 * Check one record posted by a bench and turn it into the row to store (storeRecords.ts stores it):
 * - the body must be a `stimbench-record` document valid under the app's own record file schema, of a
 *   closed record (finished or interrupted), whose id is the Idempotency-Key and whose events and
 *   summaries all belong to it, and whose dose agrees with its own summaries (checkDose.ts);
 * - its participant code, if any, must be in the form the bench's own rule stores.
 * The answers the bench gets once the row is stored (201 new, 200 duplicate, 409 conflict, 401 revoked
 * bench) are decided by the storing statement.
 */
import * as v from 'valibot';
import { formatPath } from '../../lib/presets/parsePresetFile.ts';
import { RecordFileSchema, type RecordFile } from '../../lib/session/recordFileSchema.ts';
import { sha256Hex } from '../auth/tokens.ts';
import { canonicalJson } from './canonicalJson.ts';
import { checkDose } from './checkDose.ts';
import { ParticipantCodeError, parseParticipantCode } from '../../lib/session/participant.ts';

export type IngestOutcome =
  | { status: 201 | 200; body: { id: string; duplicate: boolean } }
  | { status: 401 | 409 | 422; body: { error: string; message: string } };

export function refusal(status: 401 | 409 | 422, error: string, message: string): IngestOutcome {
  return { status, body: { error, message } };
}

/** The columns of one `records` row, named as in the table. */
export interface RecordRow {
  id: string;
  bench_id: string;
  content_sha256: string;
  participant: string | null;
  preset_id: string | null;
  label: string;
  outcome: string;
  stop_reason: string | null;
  created_wall_ms: number;
  ended_wall_ms: number | null;
  received_wall_ms: number;
  firmware_version: string;
  serial_number: string;
  target_ua: number | null;
  active_ms: number;
  charge_uc: number;
  peak_ua: number;
  pain_pre: number | null;
  pain_post: number | null;
  fault_count: number;
  estop_count: number;
}

/** A checked record, ready to store: its row and its body (the stored document) as JSON text. */
export interface PreparedRecord {
  row: RecordRow;
  bodyJson: string;
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

export function prepareRecord(benchId: string, idempotencyKey: string, body: unknown, receivedWallMs: number): PreparedRecord | IngestOutcome {
  const parsed = v.safeParse(RecordFileSchema, body);
  if (!parsed.success) return refusal(422, 'BAD_RECORD', `not a valid stimbench-record document: ${firstIssue(parsed.issues)}`);
  const file: RecordFile = parsed.output;
  const participant = file.record.participant ?? null;
  if (participant !== null) {
    // The same rule the bench applied when it made the record; a stored code is already normalised.
    const why = participantRefusal(participant);
    if (why) return refusal(422, 'BAD_PARTICIPANT', why);
  }
  const { record } = file;
  if (record.id !== idempotencyKey) return refusal(422, 'KEY_MISMATCH', `Idempotency-Key "${idempotencyKey}" is not the record id "${record.id}"`);
  if (record.status !== 'closed' || record.outcome === null) return refusal(422, 'RECORD_OPEN', `record ${record.id} is still open: only finished or interrupted records are accepted`);
  const stranger = [...file.events, ...file.summaries].find((part) => part.recordId !== record.id);
  if (stranger) return refusal(422, 'FOREIGN_PART', `an event or summary of record "${stranger.recordId}" was sent with record "${record.id}"`);
  const mismatch = checkDose(file);
  if (mismatch) {
    return refusal(422, 'DOSE_MISMATCH', `the record's dose does not match its own samples: channel ${mismatch.channel + 1} ${mismatch.field} is ${mismatch.got}, the samples give ${mismatch.expected}`);
  }

  const content = { record: { ...record, participant }, events: file.events, summaries: file.summaries };
  // The canonical text is both what is hashed and what is stored (jsonb keeps no key order anyway), so
  // the document is serialised once.
  const canonical = canonicalJson(content);
  const sum = (pick: (d: RecordFile['record']['dose'][number]) => number) => record.dose.reduce((total, d) => total + pick(d), 0);
  return {
    row: {
      id: record.id,
      bench_id: benchId,
      content_sha256: sha256Hex(canonical),
      participant,
      preset_id: record.plan.presetId,
      label: record.plan.label,
      outcome: record.outcome,
      stop_reason: record.stopReason,
      created_wall_ms: record.createdWallMs,
      ended_wall_ms: record.endedWallMs,
      received_wall_ms: receivedWallMs,
      firmware_version: record.board.firmwareVersion,
      serial_number: record.board.serialNumber,
      target_ua: record.targetUa,
      active_ms: sum((d) => d.activeMs),
      charge_uc: sum((d) => d.chargeUc),
      peak_ua: record.dose.reduce((peak, d) => Math.max(peak, d.peakUa), 0),
      pain_pre: record.pain.pre,
      pain_post: record.pain.post,
      fault_count: file.events.filter((e) => e.kind === 'fault').length,
      estop_count: file.events.filter((e) => (e.kind === 'user' && e.action === 'estop') || (e.kind === 'command' && e.command === 'estop')).length,
    },
    bodyJson: canonical,
  };
}

export function isPrepared(value: PreparedRecord | IngestOutcome): value is PreparedRecord {
  return 'row' in value;
}
