/**
 * What a lab server's answer means for a record:
 * - 2xx with a well-formed reply `{ "id": "<record id>" }` (other fields allowed) → delivered; the server
 *   adds `"duplicate": true` when it already had exactly this record (a retry after a lost reply);
 * - 2xx with anything else (not JSON, wrong shape, another id) → NOT confirmed: retried, with a warning.
 *   A body we cannot read is no proof the server stored the record, and the idempotency key makes the
 *   retry safe; the warning tells the user the server misbehaves;
 * - 409 Conflict → conflict: the server holds a DIFFERENT record under this id and did not store this one
 *   (the same record sent twice is a 2xx). Not delivered, not retried: a person must look at both;
 * - 408, 429 → retry (timeout, rate limit); other 4xx → failed for good (the request itself is wrong:
 *   bad token, bad URL, refused payload), recorded and not retried;
 * - 5xx and anything else → retry.
 */
import * as v from 'valibot';

export type Verdict =
  | { kind: 'delivered'; duplicate: boolean }
  | { kind: 'conflict'; reason: string }
  | { kind: 'retry'; reason: string; warning: string | null }
  | { kind: 'failed'; reason: string };

const ReplySchema = v.looseObject({ id: v.string(), duplicate: v.optional(v.boolean()) });

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 120 ? `${flat.slice(0, 120)}…` : flat;
}

export function classifyResponse(status: number, bodyText: string, recordId: string): Verdict {
  if (status >= 200 && status < 300) {
    let json: unknown;
    try {
      json = JSON.parse(bodyText);
    } catch {
      return { kind: 'retry', reason: `HTTP ${status} with a reply that is not JSON`, warning: `malformed ${status} reply (not JSON: "${excerpt(bodyText)}"): not confirmed, will retry` };
    }
    const reply = v.safeParse(ReplySchema, json);
    if (!reply.success) {
      return { kind: 'retry', reason: `HTTP ${status} with a reply of the wrong shape`, warning: `malformed ${status} reply (expected {"id": "${recordId}"}, got ${excerpt(bodyText)}): not confirmed, will retry` };
    }
    if (reply.output.id !== recordId) {
      return { kind: 'retry', reason: `HTTP ${status} confirming another record`, warning: `the server confirmed record "${reply.output.id}" instead of "${recordId}": not confirmed, will retry` };
    }
    return { kind: 'delivered', duplicate: reply.output.duplicate === true };
  }
  if (status === 409) return { kind: 'conflict', reason: `HTTP 409: the lab server holds a different record under this id; this one was not stored (${excerpt(bodyText) || 'conflict'})` };
  if (status === 408 || status === 429) return { kind: 'retry', reason: `HTTP ${status}`, warning: null };
  if (status >= 400 && status < 500) return { kind: 'failed', reason: `HTTP ${status}: ${excerpt(bodyText) || 'refused'}` };
  return { kind: 'retry', reason: `HTTP ${status}`, warning: null };
}
